//! Mail decisions without I/O: what a message says (`render`, from the
//! templates) and how an amount reads (`amounts`).

mod amounts;
mod render;

pub use amounts::*;
pub use render::*;
