//! Where attachment bytes live, and what they are.

use crate::config::{AttachmentStore, Config, ConfigError, FileKind};
use object_store::ObjectStore;
use std::sync::Arc;

/// The configured object store: a local directory (default) or an
/// S3-compatible bucket.
pub fn open_store(config: &Config) -> Result<Arc<dyn ObjectStore>, ConfigError> {
    match &config.attachments {
        AttachmentStore::Directory(dir) => {
            std::fs::create_dir_all(dir).map_err(|e| {
                ConfigError(format!(
                    "cannot create attachment directory {}: {e}",
                    dir.display()
                ))
            })?;
            let store = object_store::local::LocalFileSystem::new_with_prefix(dir)
                .map_err(|e| ConfigError(format!("attachment directory {}: {e}", dir.display())))?;
            Ok(Arc::new(store))
        }
        AttachmentStore::S3 { url, aws } => {
            let mut builder = object_store::aws::AmazonS3Builder::from_env().with_url(url);
            for (name, value) in &aws.0 {
                let key = name
                    .to_ascii_lowercase()
                    .parse()
                    .map_err(|e| ConfigError(format!("{name}: {e}")))?;
                builder = builder.with_config(key, value);
            }
            let store = builder
                .build()
                .map_err(|e| ConfigError(format!("KECS_ATTACHMENTS {url}: {e}")))?;
            // The builder takes only the bucket from the URL; the rest of
            // it is the prefix every key is stored under.
            match s3_prefix(url) {
                Some(prefix) => Ok(Arc::new(object_store::prefix::PrefixStore::new(
                    store, prefix,
                ))),
                None => Ok(Arc::new(store)),
            }
        }
    }
}

/// The `prefix` of `s3://bucket/prefix`, if there is one.
fn s3_prefix(url: &str) -> Option<&str> {
    let (_, prefix) = url.strip_prefix("s3://")?.split_once('/')?;
    Some(prefix.trim_matches('/')).filter(|p| !p.is_empty())
}

/// The kind of file `bytes` are, judged from their content (the name and
/// the declared type are the sender's claims and decide nothing).
pub fn recognise(bytes: &[u8]) -> Option<FileKind> {
    let detected = infer::get(bytes)?;
    FileKind::ALL
        .into_iter()
        .find(|kind| kind.mime() == detected.mime_type())
}

/// What the content looks like, for telling the sender why it was refused.
pub fn describe(bytes: &[u8]) -> String {
    infer::get(bytes)
        .map(|t| t.mime_type().to_owned())
        .unwrap_or_else(|| "an unrecognised kind of file".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_s3_url_names_the_bucket_and_may_name_a_prefix() {
        assert_eq!(s3_prefix("s3://kecs-files"), None);
        assert_eq!(s3_prefix("s3://kecs-files/"), None);
        assert_eq!(s3_prefix("s3://kecs-files/prod"), Some("prod"));
        assert_eq!(s3_prefix("s3://kecs-files/prod/a/"), Some("prod/a"));
    }

    #[test]
    fn recognises_files_by_their_bytes_not_their_names() {
        assert_eq!(
            recognise(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"),
            Some(FileKind::Pdf)
        );
        assert_eq!(
            recognise(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Some(FileKind::Png)
        );
        assert_eq!(
            recognise(b"\xff\xd8\xff\xe0\0\x10JFIF\0"),
            Some(FileKind::Jpeg)
        );
        assert_eq!(recognise(b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0"), None);
        assert_eq!(recognise(b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff"), None);
        assert_eq!(recognise(b"just some text"), None);
        assert_eq!(recognise(b""), None);
    }
}
