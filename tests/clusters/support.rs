//! Throwaway PostgreSQL clusters: each in a temporary directory, on a free port, with trust
//! authentication over 127.0.0.1 only. Dropping one stops it at once and deletes its files,
//! also when a test panics.

use std::net::TcpListener;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Settings for a fast, disposable cluster that a standby can follow: nothing is synced to
/// disk, as nothing needs to survive the machine.
const CONFIGURATION: &str = "
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 40
shared_buffers = 32MB
fsync = off
synchronous_commit = off
full_page_writes = off
wal_level = replica
max_wal_senders = 4
hot_standby = on
";

pub struct Cluster {
    bin: PathBuf,
    /// Owned by the server's user; holds `data` and the server log.
    root: PathBuf,
    pub port: u16,
}

impl Cluster {
    /// A new primary, started.
    pub async fn primary() -> Cluster {
        let cluster = Cluster::new();
        cluster.init(&["--auth=trust"]).await;
        cluster.append_configuration(&format!("{CONFIGURATION}port = {}\n", cluster.port));
        append(
            &Path::new(&cluster.data()).join("pg_hba.conf"),
            "host replication postgres 127.0.0.1/32 trust\n",
        );
        cluster.start().await;
        cluster
    }

    /// A new server that speaks only TLS, with this certificate and key, and asks every
    /// client for the password of `postgres` (scram-sha-256), started.
    pub async fn tls_only(certificate_pem: &str, key_pem: &str, password: &str) -> Cluster {
        let cluster = Cluster::new();
        let password_file = cluster.root.join("password");
        std::fs::write(&password_file, password).expect("writing the password file");
        let password_file = format!("--pwfile={}", password_file.display());
        cluster
            .init(&["--auth=scram-sha-256", &password_file])
            .await;
        let data = PathBuf::from(cluster.data());
        for (name, contents) in [("server.crt", certificate_pem), ("server.key", key_pem)] {
            let path = data.join(name);
            std::fs::write(&path, contents).expect("writing the server's certificate");
            // The server reads its key only when no one else can.
            std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o600))
                .unwrap();
            if running_as_root() {
                Command::new("chown")
                    .arg("postgres:postgres")
                    .arg(&path)
                    .status()
                    .expect("running chown");
            }
        }
        cluster.append_configuration(&format!(
            "{CONFIGURATION}port = {}\nssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n",
            cluster.port
        ));
        std::fs::write(
            data.join("pg_hba.conf"),
            "hostssl all all 127.0.0.1/32 scram-sha-256\n",
        )
        .expect("writing pg_hba.conf");
        cluster.start().await;
        cluster
    }

    /// A streaming standby of `primary`, started: a base backup that writes its own
    /// `standby.signal` and connection settings (`-R`).
    pub async fn standby_of(primary: &Cluster) -> Cluster {
        let cluster = Cluster::new();
        let primary_port = primary.port.to_string();
        cluster
            .run(
                "pg_basebackup",
                &[
                    "-D",
                    &cluster.data(),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    &primary_port,
                    "-U",
                    "postgres",
                    "-R",
                    "-X",
                    "stream",
                    "-c",
                    "fast",
                    "--no-sync",
                ],
            )
            .await;
        // The copied configuration names the primary's port; the last setting wins.
        cluster.append_configuration(&format!("port = {}\n", cluster.port));
        cluster.start().await;
        cluster
    }

    pub fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    /// Starts the server and waits until it accepts connections.
    pub async fn start(&self) {
        let log = format!("{}/server.log", self.root.display());
        self.run(
            "pg_ctl",
            &["start", "-w", "-t", "30", "-D", &self.data(), "-l", &log],
        )
        .await;
    }

    /// Stops the server as an administrator would: sessions are ended, not waited for.
    pub async fn stop(&self) {
        self.run(
            "pg_ctl",
            &["stop", "-w", "-t", "30", "-m", "fast", "-D", &self.data()],
        )
        .await;
    }

    fn new() -> Cluster {
        let root = std::env::temp_dir().join(format!(
            "casebook-cluster-{}",
            uuid::Uuid::new_v4().simple()
        ));
        std::fs::create_dir(&root).expect("creating the cluster's directory");
        if running_as_root() {
            let owned = Command::new("chown")
                .arg("postgres:postgres")
                .arg(&root)
                .status()
                .expect("running chown");
            assert!(owned.success(), "giving {} to postgres", root.display());
        }
        Cluster {
            bin: server_binaries(),
            root,
            port: free_port(),
        }
    }

    /// A new data directory, the superuser `postgres` signing in as `authentication` says.
    async fn init(&self, authentication: &[&str]) {
        let data = self.data();
        let mut args = vec!["-D", &data, "-U", "postgres", "-E", "UTF8"];
        args.extend(["--locale=C.UTF-8", "--no-sync"]);
        args.extend(authentication);
        self.run("initdb", &args).await;
    }

    fn data(&self) -> String {
        format!("{}/data", self.root.display())
    }

    fn append_configuration(&self, settings: &str) {
        append(&Path::new(&self.data()).join("postgresql.conf"), settings);
    }

    async fn run(&self, program: &str, args: &[&str]) {
        let output = tokio::process::Command::from(self.command(program, args))
            .stdin(Stdio::null())
            .output()
            .await
            .unwrap_or_else(|e| panic!("running {program}: {e}"));
        assert!(
            output.status.success(),
            "{program} {args:?} failed: {}\n{}\nserver log:\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr),
            std::fs::read_to_string(self.root.join("server.log")).unwrap_or_default()
        );
    }

    /// The server refuses to run as root, so as root it runs as `postgres`.
    fn command(&self, program: &str, args: &[&str]) -> Command {
        let program = self.bin.join(program);
        let mut command = if running_as_root() {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(program);
            command
        } else {
            Command::new(program)
        };
        command.args(args);
        command
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if Path::new(&self.data()).join("postmaster.pid").exists() {
            let _ = self
                .command(
                    "pg_ctl",
                    &["stop", "-w", "-m", "immediate", "-D", &self.data()],
                )
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// The newest installed server binaries; a clear failure when there are none.
fn server_binaries() -> PathBuf {
    let has_initdb = |dir: &Path| dir.join("initdb").is_file();
    let from_pg_config = Command::new("pg_config")
        .arg("--bindir")
        .output()
        .ok()
        .map(|out| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
        .filter(|dir| has_initdb(dir));
    let newest_installed = || {
        let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|entry| {
                let version = entry.file_name().to_str()?.parse().ok()?;
                Some((version, entry.path().join("bin")))
            })
            .filter(|(_, dir)| has_initdb(dir))
            .collect();
        versions.sort();
        versions.pop().map(|(_, dir)| dir)
    };
    from_pg_config.or_else(newest_installed).expect(
        "these tests need the PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup): \
         install them (Debian: apt-get install postgresql) or put pg_config on the PATH",
    )
}

fn running_as_root() -> bool {
    // /proc/self belongs to the effective user.
    std::fs::metadata("/proc/self").is_ok_and(|meta| meta.uid() == 0)
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("finding a free port")
        .port()
}

fn append(path: &Path, text: &str) {
    use std::io::Write;
    std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .and_then(|mut file| file.write_all(text.as_bytes()))
        .unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
}

/// Polls `check` until it holds, and says how long that took; fails after `budget`.
pub async fn within(
    budget: Duration,
    what: &str,
    mut check: impl AsyncFnMut() -> bool,
) -> Duration {
    let started = Instant::now();
    while !check().await {
        assert!(started.elapsed() < budget, "{what}: not within {budget:?}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    started.elapsed()
}
