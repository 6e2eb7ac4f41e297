//! Logging: env_logger, with one correction. actix-http reports a client's
//! malformed HTTP (an unparsable request line or header, a connection closed
//! mid-request) as ERROR from its HTTP/1 dispatcher. Those are the client's
//! faults, not the server's, and an ERROR line is an operator's page: they are
//! demoted to DEBUG. Hearth's own errors keep their level (a 5xx is ERROR).

use log::{Level, Log, Metadata, Record};

/// Where actix-http's connection-level errors come from.
const CLIENT_CONNECTION_TARGET: &str = "actix_http::h1";

struct DemoteClientNoise(env_logger::Logger);

impl Log for DemoteClientNoise {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        self.0.enabled(metadata)
    }

    fn log(&self, record: &Record<'_>) {
        if record.level() <= Level::Warn && record.target().starts_with(CLIENT_CONNECTION_TARGET) {
            let demoted = Record::builder()
                .args(*record.args())
                .level(Level::Debug)
                .target(record.target())
                .module_path(record.module_path())
                .file(record.file())
                .line(record.line())
                .build();
            if self.0.enabled(demoted.metadata()) {
                self.0.log(&demoted);
            }
            return;
        }
        self.0.log(record);
    }

    fn flush(&self) {
        self.0.flush();
    }
}

/// Installs the logger: `RUST_LOG` if set, else `default_filter`.
pub fn init(default_filter: &str) {
    let logger =
        env_logger::Builder::from_env(env_logger::Env::default().default_filter_or(default_filter))
            .build();
    let max = logger.filter();
    if log::set_boxed_logger(Box::new(DemoteClientNoise(logger))).is_ok() {
        log::set_max_level(max);
    }
}
