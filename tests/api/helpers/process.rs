//! `PortalProcess`: the real binary on a free port, its output collected.

/// The real binary (`union-portal serve`) on a free port of 127.0.0.1 over `database_url`,
/// with a data directory of its own. Its output is collected (and drained, so it never
/// blocks on a full pipe); it is killed if still running when dropped.
pub struct PortalProcess {
    child: std::process::Child,
    /// e.g. `http://127.0.0.1:40123`
    pub url: String,
    pub addr: std::net::SocketAddr,
    output: std::sync::Arc<std::sync::Mutex<String>>,
    _data_dir: tempfile::TempDir,
}

impl PortalProcess {
    /// Start it and wait until it says where it serves; `env` adds or overrides settings.
    pub async fn start(database_url: &str, env: &[(&str, &str)]) -> PortalProcess {
        use std::io::BufRead;
        let data_dir = tempfile::tempdir().expect("data dir");
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_union-portal"))
            .arg("serve")
            .env("DATABASE_URL", database_url)
            .env("PORTAL_ADDR", "127.0.0.1:0")
            .env("PORTAL_DATA_DIR", data_dir.path())
            .env("RUST_LOG", "warn")
            .envs(env.iter().copied())
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("start the portal");
        let output = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let (url_tx, url_rx) = tokio::sync::oneshot::channel();
        let stdout = child.stdout.take().expect("stdout");
        let stderr = child.stderr.take().expect("stderr");
        let out = output.clone();
        std::thread::spawn(move || {
            let mut url_tx = Some(url_tx);
            for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("union-portal is serving at ") {
                    if let Some(tx) = url_tx.take() {
                        let _ = tx.send(url.to_string());
                    }
                }
                out.lock().expect("output").push_str(&(line + "\n"));
            }
        });
        let out = output.clone();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr).lines().map_while(Result::ok) {
                out.lock().expect("output").push_str(&(line + "\n"));
            }
        });
        let url = match tokio::time::timeout(std::time::Duration::from_secs(90), url_rx).await {
            Ok(Ok(url)) => url,
            _ => panic!("the portal did not start:\n{}", output.lock().expect("output")),
        };
        let addr = url.trim_start_matches("http://").parse().expect("address");
        PortalProcess { child, url, addr, output, _data_dir: data_dir }
    }

    pub fn output(&self) -> String {
        self.output.lock().expect("output").clone()
    }

    pub fn pid(&self) -> nix::unistd::Pid {
        nix::unistd::Pid::from_raw(self.child.id() as i32)
    }

    pub fn terminate(&self) {
        nix::sys::signal::kill(self.pid(), nix::sys::signal::Signal::SIGTERM).expect("SIGTERM");
    }

    /// The exit status, if it exits within `limit`.
    pub async fn wait_exit(&mut self, limit: std::time::Duration) -> Option<std::process::ExitStatus> {
        let deadline = std::time::Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return Some(status);
            }
            if std::time::Instant::now() > deadline {
                return None;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }
}

impl Drop for PortalProcess {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
