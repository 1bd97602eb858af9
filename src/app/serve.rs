//! The HTTP server (hyper-util, so slow clients meet a header-read timeout) with graceful
//! shutdown on SIGTERM or Ctrl-C.

use std::{future::Future, time::Duration};

use axum::{
    extract::{ConnectInfo, Request},
    Router,
};
use hyper_util::{
    rt::{TokioExecutor, TokioIo, TokioTimer},
    server::{conn::auto, graceful::GracefulShutdown},
    service::TowerToHyperService,
};
use tokio::net::TcpListener;
use tower::ServiceExt;

/// How long a client has to send a request's headers, counted from when the
/// connection starts waiting for them.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Serve until `shutdown` resolves; then refuse new connections and give the
/// in-flight requests up to `grace` to finish.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    grace: Duration,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    // HTTP/1 only: browsers speak HTTP/2 only over TLS, which a proxy in front ends,
    // and guessing the protocol of a new connection has no timeout in hyper-util (a
    // client that sends nothing, or half an HTTP/2 preface, would be held forever).
    let mut builder = auto::Builder::new(TokioExecutor::new()).http1_only();
    // Without a timer hyper has no header-read timeout, and 200 slow clients could hold
    // the server. It runs from the moment a connection waits for a request, so it also
    // closes connections that send nothing and idle keep-alive connections.
    builder.http1().timer(TokioTimer::new()).header_read_timeout(HEADER_READ_TIMEOUT);
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(a) => a,
                    Err(e) => {
                        // Out of file descriptors and the like: wait a moment rather than spin.
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let service = app.clone().map_request(move |mut req: Request<hyper::body::Incoming>| {
                    req.extensions_mut().insert(ConnectInfo(peer));
                    req
                });
                let connection = builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service)).into_owned();
                let connection = graceful.watch(connection);
                tokio::spawn(async move {
                    if let Err(e) = connection.await {
                        tracing::debug!(error = %e, "connection ended with an error");
                    }
                });
            }
            () = &mut shutdown => break,
        }
    }
    drop(listener);
    tracing::info!("shutting down: finishing in-flight requests");
    tokio::select! {
        () = graceful.shutdown() => tracing::info!("all connections closed"),
        () = tokio::time::sleep(grace) => tracing::warn!("grace period over; closing the remaining connections"),
    }
    Ok(())
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM. The handlers are installed here, before the
/// portal says where it serves, not when the future is first polled: the accept loop
/// may take a waiting connection without polling it, and a SIGTERM meanwhile met no
/// handler and killed the process (a failed exit, the database left to the cleanup).
pub fn shutdown_signal() -> std::io::Result<impl Future<Output = ()>> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate())?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    Ok(async move {
        tokio::select! { _ = term.recv() => {}, _ = interrupt.recv() => {} }
    })
}
