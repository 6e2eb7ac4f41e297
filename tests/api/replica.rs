//! A real streaming replica (`database.replica_url`): reads that tolerate lag
//! come from it, a caller who just wrote reads from the primary, and a replica
//! that goes away costs no request. PostgreSQL only (SQLite has no replicas; a
//! replica on SQLite is refused at start-up, see `config` unit tests), against
//! the replica `tests/replica/start` makes of the test server.
//!
//! Which server answered is made visible by pausing the replica's replay: a
//! write on the primary then stays invisible on the replica until it resumes.
//! Pausing is server-wide, so these tests take turns.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use diesel::{Connection, PgConnection, RunQueryDsl};
use serde_json::{Value, json};

use crate::helpers::{
    PASSWORD, TestApp, TestBackend, TestDatabase, World, eventually, replica_admin_url,
    require_postgres, start_app, test_settings, with_database,
};
use crate::rewards::{create_reward, give_points};

/// One replica test at a time: replay is paused for the whole server.
static TURN: futures::lock::Mutex<()> = futures::lock::Mutex::new(());

/// An app on a fresh primary database, reading lag-tolerant routes from the
/// replica through `replica_url(the database's URL on the replica)`.
async fn spawn_with_replica(replica_url: impl FnOnce(String) -> String) -> TestApp {
    require_postgres();
    let db = TestDatabase::create(TestBackend::Postgres);
    let name = db
        .url
        .rsplit('/')
        .next()
        .expect("database name")
        .to_string();
    let on_replica = with_database(&replica_admin_url(), &name);
    // CREATE DATABASE reaches the replica with the WAL; wait until it has.
    let arrived = eventually(Duration::from_secs(20), async || {
        PgConnection::establish(&on_replica).is_ok()
    })
    .await;
    assert!(arrived, "the test database reached the replica");
    let mut settings = test_settings();
    settings.database.url = db.url.clone();
    settings.database.replica_url = replica_url(on_replica);
    start_app(db, settings).await
}

fn sql(url: &str, statement: &str) {
    let mut conn = PgConnection::establish(url).expect("connect");
    diesel::sql_query(statement)
        .execute(&mut conn)
        .unwrap_or_else(|e| panic!("{statement}: {e}"));
}

/// Waits until the replica has replayed everything the primary wrote so far.
async fn caught_up(app: &TestApp) {
    #[derive(diesel::QueryableByName)]
    struct Lsn {
        #[diesel(sql_type = diesel::sql_types::Text)]
        lsn: String,
    }
    let read = |url: &str, query: &str| {
        let mut conn = PgConnection::establish(url).expect("connect");
        diesel::sql_query(query)
            .load::<Lsn>(&mut conn)
            .expect("lsn")
            .remove(0)
            .lsn
    };
    let target = read(&app.db.url, "SELECT pg_current_wal_lsn()::text AS lsn");
    let replica = replica_admin_url();
    let done = eventually(Duration::from_secs(20), async || {
        let query = format!("SELECT (pg_last_wal_replay_lsn() >= '{target}'::pg_lsn)::text AS lsn");
        read(&replica, &query) == "true"
    })
    .await;
    assert!(done, "the replica replayed up to {target}");
}

/// Replay paused on the replica while this lives (resumed on drop, even
/// when the test fails).
struct ReplayPaused;

impl ReplayPaused {
    async fn start(app: &TestApp) -> Self {
        caught_up(app).await;
        sql(&replica_admin_url(), "SELECT pg_wal_replay_pause()");
        Self
    }
}

impl Drop for ReplayPaused {
    fn drop(&mut self) {
        sql(&replica_admin_url(), "SELECT pg_wal_replay_resume()");
    }
}

fn names(page: &Value) -> Vec<String> {
    page["data"]
        .as_array()
        .expect("a page")
        .iter()
        .map(|item| item["name"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[actix_web::test]
#[ignore = "PostgreSQL replica: run tests/replica/start, set HEARTH_TEST_REPLICA_URL, pass --include-ignored"]
async fn catalogue_reads_come_from_the_replica_and_see_what_it_replayed() {
    let _turn = TURN.lock().await;
    let app = spawn_with_replica(|url| url).await;
    let World {
        admin_a, member_a, ..
    } = app.world().await;
    create_reward(
        &app,
        &admin_a.access,
        json!({"name": "Before", "cost_points": 5}),
    )
    .await;
    caught_up(&app).await;
    let seen = app.get_as("/api/v1/rewards", &member_a.access).await;
    assert_eq!(seen.status, 200);
    assert_eq!(names(&seen.json()), ["Before"], "replicated data is served");

    let paused = ReplayPaused::start(&app).await;
    create_reward(
        &app,
        &admin_a.access,
        json!({"name": "After", "cost_points": 5}),
    )
    .await;
    let member_view = app.get_as("/api/v1/rewards", &member_a.access).await.json();
    assert_eq!(
        names(&member_view),
        ["Before"],
        "a member who wrote nothing reads the replica, which has not replayed the new reward"
    );
    let admin_view = app.get_as("/api/v1/rewards", &admin_a.access).await.json();
    assert_eq!(
        names(&admin_view).len(),
        2,
        "the admin who just wrote reads the primary: {admin_view}"
    );
    drop(paused);
    caught_up(&app).await;
    let member_view = app.get_as("/api/v1/rewards", &member_a.access).await.json();
    assert_eq!(names(&member_view).len(), 2, "replayed: {member_view}");
}

#[actix_web::test]
#[ignore = "PostgreSQL replica: run tests/replica/start, set HEARTH_TEST_REPLICA_URL, pass --include-ignored"]
async fn a_member_sees_their_own_redemption_at_once() {
    let _turn = TURN.lock().await;
    let app = spawn_with_replica(|url| url).await;
    let World {
        admin_a, member_a, ..
    } = app.world().await;
    give_points(&app, &admin_a.access, &member_a.user_id, 50).await;
    let reward = create_reward(
        &app,
        &admin_a.access,
        json!({"name": "Tea", "cost_points": 20}),
    )
    .await;
    // The same member on a second device (a second token, which wrote nothing).
    let tablet = app.login("tenant-a", "ann@a.example", PASSWORD).await;

    let _paused = ReplayPaused::start(&app).await;
    let path = format!(
        "/api/v1/rewards/{}/redemptions",
        reward["id"].as_str().unwrap()
    );
    let redeemed = app.call("POST", &path, Some(&member_a.access), None).await;
    assert_eq!(
        redeemed.status,
        201,
        "{}",
        String::from_utf8_lossy(&redeemed.body)
    );

    let entries = app
        .get_as("/api/v1/points/entries", &member_a.access)
        .await
        .json();
    let amounts: Vec<i64> = entries["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["amount"].as_i64().unwrap())
        .collect();
    assert!(
        amounts.contains(&-20),
        "the member's next read after redeeming shows the debit: {entries}"
    );
    let elsewhere = app
        .get_as("/api/v1/points/entries", &tablet.access)
        .await
        .json();
    assert!(
        !elsewhere["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["amount"] == -20),
        "another credential that wrote nothing reads the paused replica: {elsewhere}"
    );
}

#[actix_web::test]
#[ignore = "PostgreSQL replica: run tests/replica/start, set HEARTH_TEST_REPLICA_URL, pass --include-ignored"]
async fn a_replica_that_goes_down_fails_no_request() {
    let _turn = TURN.lock().await;
    let link = Arc::new(Mutex::new(None));
    let slot = Arc::clone(&link);
    let app = spawn_with_replica(move |url| {
        let forwarder = Forwarder::to(&url);
        let through = forwarder.url(&url);
        *slot.lock().unwrap() = Some(forwarder);
        through
    })
    .await;
    let World {
        admin_a, member_a, ..
    } = app.world().await;
    create_reward(
        &app,
        &admin_a.access,
        json!({"name": "Kite", "cost_points": 5}),
    )
    .await;
    caught_up(&app).await;
    let ready = app.get("/health/ready").await;
    assert_eq!(ready.status, 200);
    assert_eq!(ready.json(), json!({"status": "ready", "replica": "up"}));
    assert_eq!(
        names(&app.get_as("/api/v1/rewards", &member_a.access).await.json()),
        ["Kite"]
    );

    link.lock().unwrap().take().expect("forwarder").stop();
    for path in [
        "/api/v1/rewards",
        "/api/v1/points/entries",
        "/api/v1/leaderboards/members",
    ] {
        let res = app.get_as(path, &member_a.access).await;
        assert_eq!(
            res.status,
            200,
            "{path} with the replica down: {}",
            String::from_utf8_lossy(&res.body)
        );
    }
    assert_eq!(
        names(&app.get_as("/api/v1/rewards", &member_a.access).await.json()),
        ["Kite"]
    );
    let ready = app.get("/health/ready").await;
    assert_eq!(ready.status, 200, "degraded is still ready");
    assert_eq!(
        ready.json(),
        json!({"status": "degraded", "replica": "down"})
    );
}

/// A TCP forwarder to the replica that can be cut, as a replica host going
/// away: established connections break and new ones are refused.
struct Forwarder {
    port: u16,
    stopped: Arc<AtomicBool>,
    streams: Arc<Mutex<Vec<TcpStream>>>,
    listener: Option<std::thread::JoinHandle<()>>,
}

impl Forwarder {
    /// Listens on a free local port and forwards to the host:port of `url`.
    fn to(url: &str) -> Self {
        let authority = url.split("://").nth(1).unwrap().split('/').next().unwrap();
        let target = authority.rsplit('@').next().unwrap().to_string();
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.set_nonblocking(true).expect("nonblocking");
        let port = listener.local_addr().unwrap().port();
        let stopped = Arc::new(AtomicBool::new(false));
        let streams: Arc<Mutex<Vec<TcpStream>>> = Arc::default();
        let (stop, open) = (Arc::clone(&stopped), Arc::clone(&streams));
        let accept = std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((client, _)) => {
                        client.set_nonblocking(false).unwrap();
                        let Ok(server) = TcpStream::connect(&target) else {
                            continue;
                        };
                        let mut open = open.lock().unwrap();
                        open.push(client.try_clone().unwrap());
                        open.push(server.try_clone().unwrap());
                        pipe(client.try_clone().unwrap(), server.try_clone().unwrap());
                        pipe(server, client);
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Self {
            port,
            stopped,
            streams,
            listener: Some(accept),
        }
    }

    /// `url` with its host and port replaced by the forwarder's.
    fn url(&self, url: &str) -> String {
        let (scheme, rest) = url.split_once("://").unwrap();
        let (authority, path) = rest.split_once('/').unwrap();
        let user = authority
            .rsplit_once('@')
            .map_or(String::new(), |(u, _)| format!("{u}@"));
        format!("{scheme}://{user}127.0.0.1:{}/{path}", self.port)
    }

    /// Cuts every connection and stops listening.
    fn stop(mut self) {
        self.stopped.store(true, Ordering::SeqCst);
        if let Some(accept) = self.listener.take() {
            accept.join().unwrap();
        }
        for stream in self.streams.lock().unwrap().drain(..) {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }
}

/// Copies bytes from `from` to `to` on a thread until either side closes.
fn pipe(mut from: TcpStream, mut to: TcpStream) {
    std::thread::spawn(move || {
        let mut buf = [0u8; 16 * 1024];
        while let Ok(n) = from.read(&mut buf) {
            if n == 0 || to.write_all(&buf[..n]).is_err() {
                break;
            }
        }
        let _ = to.shutdown(Shutdown::Both);
    });
}
