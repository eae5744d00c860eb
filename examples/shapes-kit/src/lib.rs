//! What typetag does, with a `gather::Map`: `Box<dyn Shape>` serialized as `{"Circle": {..}}`
//! and deserialized by looking its tag up in a map of deserializer functions. This crate
//! defines the trait, the map type and two shapes; the `shapes` binary adds its own and merges
//! this crate's map into its map with `register_many!`. A tag registered twice, in one crate or
//! across the two, is a compile error that names it and both places; on every target (wasm
//! too: no linker section to lose), the map holds every shape.

use gather::{Map, register, registry};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A shape that can be serialized behind `dyn Shape`.
pub trait Shape {
    /// The tag it is serialized under: the key of its deserializer in a [`Deserializers`] map.
    fn tag(&self) -> &'static str;
    /// Its fields, as JSON.
    fn fields(&self) -> Value;
    /// Its area.
    fn area(&self) -> f64;
}

/// Builds a shape from its fields.
pub type Deserializer = fn(Value) -> Result<Box<dyn Shape>, serde_json::Error>;

/// Deserializers by tag: this crate's in [`SHAPES`]; a program merges them into its own.
pub type Deserializers = Map<&'static str, Deserializer>;

/// The shapes of this crate.
#[registry]
pub static SHAPES: Map<&str, Deserializer>;

/// Implements [`Shape`] for a type that derives `Serialize` and `Deserialize`, tagged with the
/// type's name, and registers its deserializer into the crate's `SHAPES` map.
// `crate::SHAPES` is the calling crate's map on purpose: maps are crate-local.
#[allow(clippy::crate_in_macro_def)]
#[macro_export]
macro_rules! shape {
    ($t:ident, |$s:ident| $area:expr) => {
        impl $crate::Shape for $t {
            fn tag(&self) -> &'static str {
                stringify!($t)
            }
            fn fields(&self) -> $crate::__Value {
                $crate::__to_value(self)
            }
            fn area(&self) -> f64 {
                let $s = self;
                $area
            }
        }
        gather::register!(crate::SHAPES, stringify!($t) => |fields| {
            ::core::result::Result::Ok(::std::boxed::Box::new($crate::__from_value::<$t>(fields)?))
        });
    };
}

#[doc(hidden)]
pub use serde_json::Value as __Value;

#[doc(hidden)]
pub fn __to_value<T: Serialize>(t: &T) -> Value {
    serde_json::to_value(t).expect("a shape's fields serialize")
}

#[doc(hidden)]
pub fn __from_value<T: for<'de> Deserialize<'de>>(v: Value) -> Result<T, serde_json::Error> {
    serde_json::from_value(v)
}

/// A circle.
#[derive(Serialize, Deserialize)]
pub struct Circle {
    pub radius: f64,
}
shape!(Circle, |c| std::f64::consts::PI * c.radius * c.radius);

/// A rectangle, registered without the macro.
#[derive(Serialize, Deserialize)]
pub struct Rectangle {
    pub width: f64,
    pub height: f64,
}
impl Shape for Rectangle {
    fn tag(&self) -> &'static str {
        "Rectangle"
    }
    fn fields(&self) -> Value {
        __to_value(self)
    }
    fn area(&self) -> f64 {
        self.width * self.height
    }
}
register!(SHAPES, "Rectangle" => |fields| Ok(Box::new(__from_value::<Rectangle>(fields)?)));

/// `shape` as `{"Tag": {fields}}`.
pub fn to_json(shape: &dyn Shape) -> Value {
    let mut object = serde_json::Map::new();
    object.insert(shape.tag().to_owned(), shape.fields());
    Value::Object(object)
}

/// The shape that `value` (`{"Tag": {fields}}`) describes, by its tag's deserializer in `map`.
pub fn from_json(map: &Deserializers, value: Value) -> Result<Box<dyn Shape>, String> {
    let Value::Object(object) = value else {
        return Err("a shape is an object: {\"Tag\": {..}}".into());
    };
    let mut entries = object.into_iter();
    let (Some((tag, fields)), None) = (entries.next(), entries.next()) else {
        return Err("a shape is an object with one entry: {\"Tag\": {..}}".into());
    };
    let deserialize = map
        .get(&tag)
        .ok_or_else(|| format!("unknown shape `{tag}`"))?;
    deserialize(fields).map_err(|e| format!("shape `{tag}`: {e}"))
}
