//! The connection under actix-http: its own bodiless error answers become
//! problems too.
//!
//! actix-http's HTTP/1 dispatcher answers three things itself, before any
//! service (and so any middleware) exists for the request, by writing a
//! bodiless response and closing: a request head it cannot parse (400), a
//! head larger than its buffer (431), and a head that does not arrive within
//! `client_request_timeout` (408). It has no hook for shaping them. So the
//! server hands the dispatcher this stream instead of the bare socket, and
//! the stream rewrites exactly those answers as it writes them.
//!
//! Recognising them soundly: the stream follows the framing of both
//! directions (request heads and bodies read, response heads and bodies
//! written: `Content-Length`, chunked, answers to `HEAD` and 1xx/204/304
//! without a body), so it only ever looks at the first byte of a response,
//! never inside a body — an attachment whose bytes spell out such a
//! response is passed through untouched. A response whose status is 400, 408
//! or 431, with `content-length: 0` and no `content-type`, can only be the
//! dispatcher's: the app answers every error with a problem
//! (`middleware::framework_problems` rewrites anything that is not
//! `application/problem+json`), and a problem answering `HEAD` keeps its
//! type and length. Whenever the stream cannot follow (an upgrade, a body
//! delimited by the close, a head it cannot parse), it stops looking and
//! passes every byte through as before: at worst an answer stays bodiless.

use crate::http::error::{PROBLEM_JSON, code_for_status, problem_of};
use std::collections::VecDeque;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// How much of a request head is kept to follow it. actix reads up to
/// 128 KiB before answering 431; keeping less bounds what a slow client
/// costs here, and a request larger than this is rare: past it the
/// connection is no longer followed (the 431 itself is still rewritten, as
/// answers are followed on their own).
const REQUEST_HEAD_LIMIT: usize = 32 * 1024;
/// A response head is never this large; past it, stop following.
const RESPONSE_HEAD_LIMIT: usize = 64 * 1024;
/// Headers parsed per head, as actix-http's decoder allows.
const MAX_HEADERS: usize = 96;

/// A stream (the accepted socket) whose dispatcher-made error answers are
/// rewritten as problems; everything else passes through byte for byte.
pub struct ProblemStream<T> {
    inner: T,
    requests: Framing,
    responses: Framing,
    /// For each request read and not yet answered, whether it was `HEAD`
    /// (its answer has a length but no body).
    heads: VecDeque<bool>,
    /// The problem replacing a dispatcher's answer, still to be sent.
    replacement: Vec<u8>,
}

impl<T> ProblemStream<T> {
    pub fn new(inner: T) -> Self {
        Self {
            inner,
            requests: Framing::head(),
            responses: Framing::head(),
            heads: VecDeque::new(),
            replacement: Vec::new(),
        }
    }
}

impl<T: AsyncWrite + Unpin> ProblemStream<T> {
    fn send_replacement(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while !self.replacement.is_empty() {
            let n = ready!(Pin::new(&mut self.inner).poll_write(cx, &self.replacement))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.replacement.drain(..n);
        }
        Poll::Ready(Ok(()))
    }

    fn pass(&mut self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let n = ready!(Pin::new(&mut self.inner).poll_write(cx, buf))?;
        let _ = self
            .responses
            .feed(&buf[..n], &mut Side::Responses(&mut self.heads));
        Poll::Ready(Ok(n))
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for ProblemStream<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        ready!(Pin::new(&mut this.inner).poll_read(cx, buf))?;
        let _ = this.requests.feed(
            &buf.filled()[before..],
            &mut Side::Requests(&mut this.heads),
        );
        Poll::Ready(Ok(()))
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for ProblemStream<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        ready!(this.send_replacement(cx))?;
        // Looked ahead on copies: only what the socket takes is committed.
        let mut probe = this.responses.clone();
        let mut heads = this.heads.clone();
        match probe.feed(buf, &mut Side::Responses(&mut heads)) {
            Fed::All => this.pass(cx, buf),
            Fed::OpenHead { start } if start > 0 => this.pass(cx, &buf[..start]),
            Fed::OpenHead { .. } => {
                // A head the dispatcher did not write whole: it always does,
                // so this is not its error answer; stop following.
                this.responses = Framing::Lost;
                this.pass(cx, buf)
            }
            Fed::DispatcherError { start, .. } if start > 0 => this.pass(cx, &buf[..start]),
            Fed::DispatcherError { end, .. } => {
                this.replacement = problem_for(&buf[..end]);
                this.responses = Framing::Lost;
                // The caller's bytes are taken: the problem goes out in
                // their place, now or on the flush that follows.
                let _ = this.send_replacement(cx)?;
                Poll::Ready(Ok(end))
            }
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.send_replacement(cx))?;
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.send_replacement(cx))?;
        Pin::new(&mut this.inner).poll_shutdown(cx)
    }
}

/// The problem answering what the dispatcher wrote in `head`: its status
/// line and date kept, a body added, the connection closed (the dispatcher
/// closes it after these answers anyway).
fn problem_for(head: &[u8]) -> Vec<u8> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut response = httparse::Response::new(&mut headers);
    let _ = response.parse(head);
    let status = response.code.unwrap_or(400);
    let date = response
        .headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("date"))
        .map(|h| h.value.to_vec());
    let status_line = head
        .split(|&b| b == b'\n')
        .next()
        .unwrap_or_default()
        .strip_suffix(b"\r")
        .unwrap_or_default();
    let code = code_for_status(
        actix_web::http::StatusCode::from_u16(status)
            .unwrap_or(actix_web::http::StatusCode::BAD_REQUEST),
    );
    let detail = match status {
        431 => {
            "The request line and headers are larger than the server accepts; the connection is closed."
        }
        408 => "The request line and headers did not arrive in time; the connection is closed.",
        _ => "The request line or a header is not valid HTTP/1.1; the connection is closed.",
    };
    let body = serde_json::to_vec(&problem_of(code, detail.to_owned())).unwrap_or_default();
    let mut out = Vec::with_capacity(256 + body.len());
    out.extend_from_slice(status_line);
    out.extend_from_slice(b"\r\ncontent-type: ");
    out.extend_from_slice(PROBLEM_JSON.as_bytes());
    out.extend_from_slice(b"\r\ncache-control: no-store\r\nconnection: close\r\n");
    out.extend_from_slice(format!("content-length: {}\r\n", body.len()).as_bytes());
    if let Some(date) = date {
        out.extend_from_slice(b"date: ");
        out.extend_from_slice(&date);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(&body);
    out
}

/// Which way the bytes go, and the queue of `HEAD`s between the two.
enum Side<'a> {
    Requests(&'a mut VecDeque<bool>),
    Responses(&'a mut VecDeque<bool>),
}

/// What feeding bytes found.
#[derive(Debug, PartialEq, Eq)]
enum Fed {
    /// Every byte followed; no dispatcher error answer starts in them.
    All,
    /// A head starts at `start` and is not complete in these bytes.
    OpenHead { start: usize },
    /// The dispatcher's bodiless error answer is `start..end`.
    DispatcherError { start: usize, end: usize },
}

/// Where one direction of HTTP/1.1 is, message by message.
#[derive(Clone, Debug)]
enum Framing {
    /// Reading a head; the bytes so far.
    Head(Vec<u8>),
    /// Bytes left in a body of known length.
    Length(u64),
    Chunked(Chunk),
    /// No longer followed: every byte passes through.
    Lost,
}

#[derive(Clone, Debug)]
enum Chunk {
    /// The size line so far.
    Size(Vec<u8>),
    /// Bytes left of the chunk's data.
    Data(u64),
    /// The CRLF after a chunk's data, as far as read.
    DataEnd(Vec<u8>),
    /// The trailer section so far (ends with an empty line).
    Trailers(Vec<u8>),
}

/// How a message's body is delimited.
enum Body {
    None,
    Length(u64),
    Chunked,
    /// Until the connection closes, or an upgrade: not followed.
    Unknown,
}

impl Framing {
    fn head() -> Self {
        Framing::Head(Vec::new())
    }

    /// Follows `bytes`; stops at the first dispatcher error answer that
    /// starts in them.
    fn feed(&mut self, bytes: &[u8], side: &mut Side<'_>) -> Fed {
        let mut at = 0;
        // Where the head being read started, if it started in `bytes`.
        let mut head_start = None;
        while at < bytes.len() {
            match self {
                Framing::Lost => return Fed::All,
                Framing::Head(seen) => {
                    if seen.is_empty() {
                        head_start = Some(at);
                    }
                    let byte = bytes[at];
                    at += 1;
                    seen.push(byte);
                    if seen.len() > side.head_limit() {
                        *self = Framing::Lost;
                        return Fed::All;
                    }
                    if byte != b'\n' || !(seen.ends_with(b"\n\r\n") || seen.ends_with(b"\n\n")) {
                        continue;
                    }
                    match side.parse(seen) {
                        Parsed::Partial => continue,
                        Parsed::Next(next) => *self = next,
                        Parsed::DispatcherError => {
                            *self = Framing::head();
                            if let Some(start) = head_start {
                                return Fed::DispatcherError { start, end: at };
                            }
                            // Its start already went out: it is what it is.
                        }
                    }
                    head_start = None;
                }
                Framing::Length(left) => {
                    let take = (*left).min((bytes.len() - at) as u64);
                    *left -= take;
                    at += take as usize;
                    if *left == 0 {
                        *self = Framing::head();
                    }
                }
                Framing::Chunked(chunk) => match chunk.feed(&bytes[at..]) {
                    Some((used, ended)) => {
                        at += used;
                        if ended {
                            *self = Framing::head();
                        }
                    }
                    None => {
                        *self = Framing::Lost;
                        return Fed::All;
                    }
                },
            }
        }
        match head_start {
            Some(start) if matches!(self, Framing::Head(seen) if !seen.is_empty()) => {
                Fed::OpenHead { start }
            }
            _ => Fed::All,
        }
    }
}

/// What a complete head means for what follows it.
enum Parsed {
    /// Only empty lines so far.
    Partial,
    Next(Framing),
    /// The dispatcher's bodiless error answer (responses only).
    DispatcherError,
}

impl Side<'_> {
    fn head_limit(&self) -> usize {
        match self {
            Side::Requests(_) => REQUEST_HEAD_LIMIT,
            Side::Responses(_) => RESPONSE_HEAD_LIMIT,
        }
    }

    fn parse(&mut self, head: &[u8]) -> Parsed {
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        match self {
            Side::Requests(heads) => {
                let mut request = httparse::Request::new(&mut headers);
                match request.parse(head) {
                    Ok(httparse::Status::Complete(_)) => {}
                    Ok(httparse::Status::Partial) => return Parsed::Partial,
                    Err(_) => return Parsed::Next(Framing::Lost),
                }
                let method = request.method.unwrap_or_default();
                heads.push_back(method == "HEAD");
                if method == "CONNECT" || header(request.headers, "upgrade").is_some() {
                    return Parsed::Next(Framing::Lost);
                }
                Parsed::Next(body_of(request.headers).framing())
            }
            Side::Responses(heads) => {
                let mut response = httparse::Response::new(&mut headers);
                match response.parse(head) {
                    Ok(httparse::Status::Complete(_)) => {}
                    Ok(httparse::Status::Partial) => return Parsed::Partial,
                    Err(_) => return Parsed::Next(Framing::Lost),
                }
                let status = response.code.unwrap_or_default();
                if status == 101 {
                    return Parsed::Next(Framing::Lost);
                }
                if (100..200).contains(&status) {
                    // An interim answer (100 Continue): the final one follows.
                    return Parsed::Next(Framing::head());
                }
                if is_dispatcher_error(status, response.headers) {
                    return Parsed::DispatcherError;
                }
                let Some(answers_head) = heads.pop_front() else {
                    return Parsed::Next(Framing::Lost);
                };
                if answers_head || status == 204 || status == 304 {
                    return Parsed::Next(Framing::head());
                }
                match body_of(response.headers) {
                    Body::None => Parsed::Next(Framing::Lost),
                    body => Parsed::Next(body.framing()),
                }
            }
        }
    }
}

/// The three answers actix-http writes without a body: the app never
/// answers 400, 408 or 431 without `content-type` (see the module's doc).
fn is_dispatcher_error(status: u16, headers: &[httparse::Header<'_>]) -> bool {
    matches!(status, 400 | 408 | 431)
        && header(headers, "content-length").is_some_and(|v| v == b"0")
        && header(headers, "content-type").is_none()
        && header(headers, "transfer-encoding").is_none()
}

fn header<'h>(headers: &'h [httparse::Header<'_>], name: &str) -> Option<&'h [u8]> {
    headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case(name))
        .map(|h| h.value)
}

/// How the message with these headers delimits its body (for a response,
/// `Body::None` means until the close).
fn body_of(headers: &[httparse::Header<'_>]) -> Body {
    if let Some(coding) = header(headers, "transfer-encoding") {
        return if coding.eq_ignore_ascii_case(b"chunked") {
            Body::Chunked
        } else {
            Body::Unknown
        };
    }
    match header(headers, "content-length") {
        Some(length) => std::str::from_utf8(length)
            .ok()
            .and_then(|l| l.trim().parse().ok())
            .map_or(Body::Unknown, Body::Length),
        None => Body::None,
    }
}

impl Body {
    fn framing(self) -> Framing {
        match self {
            Body::None | Body::Length(0) => Framing::head(),
            Body::Length(n) => Framing::Length(n),
            Body::Chunked => Framing::Chunked(Chunk::Size(Vec::new())),
            Body::Unknown => Framing::Lost,
        }
    }
}

impl Chunk {
    /// Takes what it can of `bytes` (never empty): how many it used, and
    /// whether the body ended; `None` when the chunking cannot be followed.
    fn feed(&mut self, bytes: &[u8]) -> Option<(usize, bool)> {
        match self {
            Chunk::Data(left) => {
                let take = (*left).min(bytes.len() as u64);
                *left -= take;
                if *left == 0 {
                    *self = Chunk::DataEnd(Vec::new());
                }
                Some((take as usize, false))
            }
            Chunk::Size(line) => {
                line.push(bytes[0]);
                if line.len() > 1024 {
                    return None;
                }
                if bytes[0] == b'\n' {
                    *self = match httparse::parse_chunk_size(line) {
                        Ok(httparse::Status::Complete((_, 0))) => Chunk::Trailers(Vec::new()),
                        Ok(httparse::Status::Complete((_, size))) => Chunk::Data(size),
                        _ => return None,
                    };
                }
                Some((1, false))
            }
            Chunk::DataEnd(seen) => {
                seen.push(bytes[0]);
                if seen.len() == 2 {
                    if seen != b"\r\n" {
                        return None;
                    }
                    *self = Chunk::Size(Vec::new());
                }
                Some((1, false))
            }
            Chunk::Trailers(seen) => {
                seen.push(bytes[0]);
                if seen.len() > 8192 {
                    return None;
                }
                Some((1, seen == b"\r\n" || seen.ends_with(b"\r\n\r\n")))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A socket taking at most `per_write` bytes a call.
    struct Socket {
        sent: Vec<u8>,
        per_write: usize,
    }

    impl AsyncWrite for Socket {
        fn poll_write(
            self: Pin<&mut Self>,
            _: &mut Context<'_>,
            buf: &[u8],
        ) -> Poll<io::Result<usize>> {
            let n = buf.len().min(self.per_write);
            self.get_mut().sent.extend_from_slice(&buf[..n]);
            Poll::Ready(Ok(n))
        }
        fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
            Poll::Ready(Ok(()))
        }
        fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
            Poll::Ready(Ok(()))
        }
    }

    const ERROR_400: &[u8] =
        b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\ndate: Tue, 01 Dec 2026 07:00:00 GMT\r\n\r\n";

    /// What reaches the socket when the client sent `requests` and the
    /// dispatcher wrote `responses` (as one buffer, as it does, taken a few
    /// bytes at a time).
    fn through(requests: &[u8], responses: &[u8], per_write: usize) -> Vec<u8> {
        let mut stream = ProblemStream::new(Socket {
            sent: Vec::new(),
            per_write,
        });
        let _ = stream
            .requests
            .feed(requests, &mut Side::Requests(&mut stream.heads));
        let mut cx = Context::from_waker(std::task::Waker::noop());
        let mut written = 0;
        while written < responses.len() {
            match Pin::new(&mut stream).poll_write(&mut cx, &responses[written..]) {
                Poll::Ready(Ok(n)) => written += n,
                other => panic!("{other:?}"),
            }
        }
        assert!(matches!(
            Pin::new(&mut stream).poll_shutdown(&mut cx),
            Poll::Ready(Ok(()))
        ));
        stream.inner.sent
    }

    fn problem_code(sent: &[u8]) -> (String, serde_json::Value) {
        let text = String::from_utf8_lossy(sent).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or_default();
        let problem = serde_json::from_str(body).unwrap_or_default();
        (head.to_owned(), problem)
    }

    #[test]
    fn the_dispatchers_error_answers_become_problems() {
        for (status, code) in [
            ("400 Bad Request", "bad_request"),
            ("408 Request Timeout", "request_timeout"),
            (
                "431 Request Header Fields Too Large",
                "request_header_fields_too_large",
            ),
        ] {
            let written = format!(
                "HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\ndate: Tue, 01 Dec 2026 07:00:00 GMT\r\n\r\n"
            );
            for per_write in [1, 7, 4096] {
                let sent = through(b"", written.as_bytes(), per_write);
                let (head, problem) = problem_code(&sent);
                assert!(
                    head.starts_with(&format!("HTTP/1.1 {status}\r\n")),
                    "{head}"
                );
                assert!(head.contains("content-type: application/problem+json"));
                assert!(head.contains("date: Tue, 01 Dec 2026 07:00:00 GMT"));
                assert_eq!(problem["code"], code, "{head}");
            }
        }
    }

    #[test]
    fn answers_before_the_error_pass_untouched_even_when_they_spell_one() {
        // A body (an uploaded file, say) holding the very bytes of an error
        // answer, then a chunked body holding them, then the real one.
        let mut written = format!(
            "HTTP/1.1 200 OK\r\ncontent-length: {}\r\ncontent-type: application/pdf\r\n\r\n",
            ERROR_400.len()
        )
        .into_bytes();
        written.extend_from_slice(ERROR_400);
        let chunked_start = written.len();
        written.extend_from_slice(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n");
        written.extend_from_slice(format!("{:x}\r\n", ERROR_400.len()).as_bytes());
        written.extend_from_slice(ERROR_400);
        written.extend_from_slice(b"\r\n0\r\n\r\n");
        let ordinary = written.len();
        written.extend_from_slice(ERROR_400);
        for per_write in [1, 3, 50, 1 << 16] {
            let sent = through(
                b"GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\nGET /\x01 HTTP/1.1\r\n\r\n",
                &written,
                per_write,
            );
            assert_eq!(sent[..ordinary], written[..ordinary], "{per_write}");
            assert!(chunked_start < ordinary);
            let (head, problem) = problem_code(&sent[ordinary..]);
            assert!(head.starts_with("HTTP/1.1 400 Bad Request\r\n"), "{head}");
            assert_eq!(problem["code"], "bad_request");
        }
    }

    #[test]
    fn an_answer_to_head_has_no_body_to_skip() {
        let mut written = b"HTTP/1.1 405 Method Not Allowed\r\ncontent-length: 120\r\ncontent-type: application/problem+json\r\n\r\n".to_vec();
        let ordinary = written.len();
        written.extend_from_slice(ERROR_400);
        let sent = through(
            b"HEAD / HTTP/1.1\r\nhost: x\r\n\r\nNOT HTTP\r\n\r\n",
            &written,
            9,
        );
        assert_eq!(sent[..ordinary], written[..ordinary]);
        assert_eq!(problem_code(&sent[ordinary..]).1["code"], "bad_request");
    }

    #[test]
    fn the_apps_own_answers_are_never_rewritten() {
        for written in [
            // A problem answering HEAD: a length, a type, no body.
            &b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\ncontent-type: application/problem+json\r\n\r\n"[..],
            b"HTTP/1.1 204 No Content\r\n\r\n",
            b"HTTP/1.1 404 Not Found\r\ncontent-length: 2\r\ncontent-type: text/plain\r\n\r\nno",
        ] {
            assert_eq!(through(b"GET / HTTP/1.1\r\n\r\n", written, 5), written);
        }
    }

    #[test]
    fn what_cannot_be_followed_passes_through() {
        // A body until the close: nothing after it is looked at.
        let mut written = b"HTTP/1.0 200 OK\r\ncontent-type: text/plain\r\n\r\n".to_vec();
        written.extend_from_slice(ERROR_400);
        assert_eq!(through(b"GET / HTTP/1.0\r\n\r\n", &written, 11), written);
        // An answer with no request to answer.
        let mut written = b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n".to_vec();
        written.extend_from_slice(ERROR_400);
        assert_eq!(through(b"", &written, 11), written);
    }

    #[test]
    fn an_interim_answer_is_followed_by_the_final_one() {
        let mut written =
            b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok".to_vec();
        let ordinary = written.len();
        written.extend_from_slice(ERROR_400);
        let sent = through(
            b"POST / HTTP/1.1\r\nexpect: 100-continue\r\ncontent-length: 3\r\n\r\n{}\n",
            &written,
            6,
        );
        assert_eq!(sent[..ordinary], written[..ordinary]);
        assert_eq!(problem_code(&sent[ordinary..]).1["code"], "bad_request");
    }

    #[test]
    fn a_head_too_large_to_follow_still_gets_its_431_problem() {
        let mut requests = b"GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\nx-big: ".to_vec();
        requests.resize(requests.len() + 100 * 1024, b'a');
        let mut written = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok".to_vec();
        let ordinary = written.len();
        written.extend_from_slice(
            b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
        );
        let sent = through(&requests, &written, 1 << 16);
        assert_eq!(sent[..ordinary], written[..ordinary]);
        assert_eq!(
            problem_code(&sent[ordinary..]).1["code"],
            "request_header_fields_too_large"
        );
    }
}
