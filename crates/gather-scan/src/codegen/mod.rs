//! The protocol between a registry and its registrations: everything both sides generate, in one
//! place. A registry (`registry`) refers to each registration the scan found; each registration
//! (`registration`, and `fast` for the common case of `register!`) expands to what the registry
//! refers to. The names they share are formed in `crate::names`, the version lock is `protocol`.

pub mod fast;
mod hook;
mod index;
mod map;
mod map_hash;
mod map_keys;
mod messages;
pub(crate) use messages::shown;
pub(crate) use registration::placeable;
mod order;
mod plan;
mod probes;
mod protocol;
mod registration;
pub mod registry;
mod seen;
mod text;

pub use registration::{
    RegistrationValue, attribute_in_impl, fast_register, hook_registration, index_registration,
    plain_path_const, registration,
};
