//! The operator's commands besides `serve`: migrations, tenants and admins,
//! the demo tenant and the benchmark seed. They sit on top of the server's
//! areas and call them like any client would; nothing that serves requests
//! imports them (`scripts/import_cycles.py` holds that line).

pub mod bench_seed;
pub mod cli;
pub mod demo;
