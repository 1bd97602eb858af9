//! Slow clients over real TCP: connections that trickle their request headers, send
//! nothing, or begin an HTTP/2 preface are closed by the server, and meanwhile the
//! home page keeps answering quickly.

use std::time::{Duration, Instant};

use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

use crate::helpers::TestApp;

const SLOW_CLIENTS: usize = 200;

/// How a slow client behaves.
#[derive(Clone, Copy)]
enum Slow {
    /// Begins a request and then sends one more byte of a header every two seconds.
    Headers,
    /// Connects and sends nothing.
    Silent,
    /// Sends the HTTP/2 preface one byte every two seconds.
    Preface,
}

/// Opens a slow connection; returns how long the server took to close it (None:
/// still open after 20 s).
async fn slow_client(addr: std::net::SocketAddr, how: Slow) -> Option<Duration> {
    const PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
    let opened = Instant::now();
    let mut stream = TcpStream::connect(addr).await.ok()?;
    if let Slow::Headers = how {
        if stream.write_all(b"GET / HTTP/1.1\r\nHost: portal.test\r\nX-Slow: ").await.is_err() {
            return Some(opened.elapsed());
        }
    }
    let mut buf = [0u8; 256];
    for sent in 0.. {
        if opened.elapsed() > Duration::from_secs(20) {
            return None;
        }
        // Closed (EOF or reset) while we wait two seconds to send the next byte?
        match tokio::time::timeout(Duration::from_secs(2), stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return Some(opened.elapsed()),
            Ok(Ok(_)) => continue, // an error page: keep reading until the close
            Err(_) => {}
        }
        let byte = match how {
            Slow::Headers => b"x"[0],
            Slow::Silent => continue,
            Slow::Preface => PREFACE[sent % PREFACE.len()],
        };
        if stream.write_all(&[byte]).await.is_err() {
            return Some(opened.elapsed());
        }
    }
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trickling_clients_are_closed_within_15_seconds_and_the_home_page_stays_quick() {
    let app = TestApp::spawn().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("listen");
    let addr = listener.local_addr().expect("address");
    let router = app.router.clone();
    let server =
        tokio::spawn(union_portal::app::serve(listener, router, Duration::from_secs(1), std::future::pending::<()>()));

    let kinds = [Slow::Headers, Slow::Silent, Slow::Preface];
    let slow: Vec<_> = (0..SLOW_CLIENTS).map(|i| tokio::spawn(slow_client(addr, kinds[i % kinds.len()]))).collect();
    // Let them all connect before measuring.
    tokio::time::sleep(Duration::from_millis(500)).await;

    let client = reqwest::Client::new();
    let mut latencies = vec![];
    let measuring = Instant::now();
    while measuring.elapsed() < Duration::from_secs(12) {
        let sent = Instant::now();
        let r = client.get(format!("http://{addr}/")).send().await.expect("the home page answers");
        assert_eq!(r.status(), 200);
        r.bytes().await.expect("body");
        latencies.push(sent.elapsed());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    latencies.sort();
    let p95 = latencies[latencies.len() * 95 / 100];
    assert!(p95 < Duration::from_millis(300), "GET / p95 {p95:?} with {SLOW_CLIENTS} slow clients");

    let mut closed_after = vec![];
    for handle in slow {
        closed_after.push(handle.await.expect("slow client task"));
    }
    let still_open = closed_after.iter().filter(|c| c.is_none()).count();
    assert_eq!(still_open, 0, "every slow connection is closed by the server");
    let slowest = closed_after.iter().flatten().max().copied().unwrap_or_default();
    assert!(slowest <= Duration::from_secs(15), "the last slow connection was closed after {slowest:?}");
    assert!(
        slowest >= union_portal::app::HEADER_READ_TIMEOUT - Duration::from_secs(1),
        "closed by the header timeout, not at once ({slowest:?})"
    );
    server.abort();
}
