//! The one shape of every list: `{items, next_cursor}`. A list that is
//! always short (the fee schedule, a person's credentials) comes whole, its
//! `next_cursor` always null, so a client pages every list the same way.
//!
//! One named type per list, not a generic `List<T>`: utoipa inlines a
//! generic's argument, and the contract would carry a second, anonymous
//! copy of every item schema.

/// Declares `$list { items: Vec<$item>, next_cursor }` with `whole`, in
/// the route module that owns the item.
macro_rules! whole_list {
    ($($(#[$doc:meta])* $list:ident of $item:ty;)*) => {$(
        $(#[$doc])*
        #[derive(serde::Serialize, utoipa::ToSchema)]
        pub struct $list {
            pub items: Vec<$item>,
            /// Always null: the list comes whole, on one page.
            pub next_cursor: Option<String>,
        }

        impl $list {
            pub fn whole(items: Vec<$item>) -> Self {
                Self {
                    items,
                    next_cursor: None,
                }
            }
        }
    )*};
}

pub(crate) use whole_list;
