//! The Python that runs the tests' real components (a webhook receiver that
//! verifies with the official library, an SMTP server).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The Python with the test libraries: `HEARTH_TEST_PYTHON`, or a venv in
/// `target/test-venv` made (once) from `tests/requirements.txt`.
pub fn python() -> &'static Path {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON.get_or_init(|| {
        if let Ok(python) = std::env::var("HEARTH_TEST_PYTHON") {
            return PathBuf::from(python);
        }
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let venv = root.join("target/test-venv");
        let python = venv.join("bin/python");
        let has_library = |python: &Path| {
            Command::new(python)
                .args(["-c", "import standardwebhooks, aiosmtpd"])
                .status()
                .is_ok_and(|s| s.success())
        };
        if !has_library(&python) {
            let made = Command::new("python3")
                .args(["-m", "venv"])
                .arg(&venv)
                .status()
                .expect("python3 -m venv");
            assert!(made.success(), "cannot make {}", venv.display());
            let installed = Command::new(&python)
                .args([
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--disable-pip-version-check",
                ])
                .arg("-r")
                .arg(root.join("tests/requirements.txt"))
                .status()
                .expect("pip install");
            assert!(installed.success(), "cannot install tests/requirements.txt");
        }
        python
    })
}
