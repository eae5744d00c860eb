//! `Box<dyn Shape>` round trips through JSON: the shapes of `shapes-kit` and this crate's own,
//! in one `Map` merged at compile time. Registering a tag that `shapes-kit` already has (say
//! `register!(SHAPES, "Circle" => ..)`) is a compile error naming "Circle" and both places.

use gather::{register, register_many, registry};
use serde::{Deserialize, Serialize};
use shapes_kit::{Deserializer, Deserializers, Shape, from_json, shape, to_json};

/// Every shape this program can read: its own and `shapes-kit`'s.
#[registry]
static SHAPES: gather::Map<&str, Deserializer>;
register_many!(SHAPES, shapes_kit::SHAPES);

/// A square, registered through `shapes-kit`'s macro into this crate's map.
#[derive(Serialize, Deserialize)]
struct Square {
    side: f64,
}
shape!(Square, |s| s.side * s.side);

/// A triangle, registered by hand.
#[derive(Serialize, Deserialize)]
struct Triangle {
    base: f64,
    height: f64,
}
impl Shape for Triangle {
    fn tag(&self) -> &'static str {
        "Triangle"
    }
    fn fields(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap()
    }
    fn area(&self) -> f64 {
        self.base * self.height / 2.0
    }
}
register!(SHAPES, "Triangle" => |v| Ok(Box::new(serde_json::from_value::<Triangle>(v)?)));

/// The map this program deserializes with.
const MAP: &Deserializers = &SHAPES;

fn round_trip(shapes: &[Box<dyn Shape>]) -> Result<Vec<Box<dyn Shape>>, String> {
    let json: Vec<serde_json::Value> = shapes.iter().map(|s| to_json(&**s)).collect();
    let text = serde_json::to_string(&json).map_err(|e| e.to_string())?;
    println!("{text}");
    let back: Vec<serde_json::Value> = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    back.into_iter().map(|v| from_json(MAP, v)).collect()
}

fn main() {
    let tags: Vec<&str> = SHAPES.keys().copied().collect();
    println!("tags: {tags:?}");
    let shapes: Vec<Box<dyn Shape>> = vec![
        Box::new(shapes_kit::Circle { radius: 1.0 }),
        Box::new(Square { side: 2.0 }),
        Box::new(Triangle {
            base: 3.0,
            height: 4.0,
        }),
        Box::new(shapes_kit::Rectangle {
            width: 2.0,
            height: 5.0,
        }),
    ];
    let back = round_trip(&shapes).expect("every tag is in the map");
    for (a, b) in shapes.iter().zip(&back) {
        assert_eq!((a.tag(), a.area()), (b.tag(), b.area()));
        println!("{} {:.3}", b.tag(), b.area());
    }
    let unknown = from_json(MAP, serde_json::json!({"Hexagon": {"side": 1.0}}));
    println!("{}", unknown.err().unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_crates_shapes_are_in_the_map_in_tag_order() {
        let tags: Vec<&str> = SHAPES.keys().copied().collect();
        assert_eq!(tags, ["Circle", "Rectangle", "Square", "Triangle"]);
    }

    #[test]
    fn shapes_round_trip_by_tag() {
        let shapes: Vec<Box<dyn Shape>> = vec![
            Box::new(shapes_kit::Circle { radius: 2.0 }),
            Box::new(Square { side: 3.0 }),
        ];
        let back = round_trip(&shapes).unwrap();
        assert_eq!(back[1].tag(), "Square");
        assert_eq!(back[1].area(), 9.0);
        assert!((back[0].area() - 4.0 * std::f64::consts::PI).abs() < 1e-9);
    }

    #[test]
    fn unknown_and_malformed_shapes_are_errors() {
        let unknown = from_json(MAP, serde_json::json!({"Hexagon": {}}));
        assert_eq!(unknown.err().unwrap(), "unknown shape `Hexagon`");
        let bad = from_json(MAP, serde_json::json!({"Circle": {"radius": "x"}}));
        assert!(bad.err().unwrap().starts_with("shape `Circle`:"));
    }
}
