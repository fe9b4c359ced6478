//! JSON for the errors hyper answers by itself.
//!
//! When a request cannot be parsed — a URI over hyper's 65,534-byte limit
//! (414), headers over its buffer (431), or no HTTP at all (400) — hyper
//! writes a bodiless answer and closes the connection before any of our code
//! sees a request, and it offers no hook to shape that answer. A client of a
//! JSON API should still get JSON (hardening #12.12), so the connection is
//! wrapped: a write that is exactly such an answer's head is replaced by the
//! same status with the API's JSON error body. Every other byte passes
//! through untouched.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// Most bytes of a request line and headers read before answering 431
/// (hyper's buffer; its default is about 400 KiB). A URI is further limited
/// by hyper to 65,534 bytes (414).
pub(crate) const MAX_HEAD_BYTES: usize = 128 * 1024;

/// How hyper's own error answers begin: its status line, then `connection:
/// close` and an empty body, in this order (hyper 1.x `role.rs`). Answers
/// from the router always carry a content type and never this prefix.
const HYPER_ERRORS: [(&[u8], u16, &str, &str, &str); 3] = [
    (
        b"HTTP/1.1 414 URI Too Long\r\nconnection: close\r\ncontent-length: 0\r\n",
        414,
        "URI Too Long",
        "the request URI is longer than 65,534 bytes",
        "TooLarge",
    ),
    (
        b"HTTP/1.1 431 Request Header Fields Too Large\r\nconnection: close\r\ncontent-length: 0\r\n",
        431,
        "Request Header Fields Too Large",
        "the request line and headers are over this server's limit of 128 KiB",
        "TooLarge",
    ),
    (
        b"HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n",
        400,
        "Bad Request",
        "the request is not well-formed HTTP/1.1",
        "InvalidRequest",
    ),
];

/// The JSON answer standing for hyper's bodiless one, if `head` is one.
fn replacement(head: &[u8]) -> Option<Vec<u8>> {
    let (_, code, reason, message, kind) = HYPER_ERRORS.iter().find(|(prefix, ..)| head.starts_with(prefix))?;
    let body = serde_json::json!({"code": kind, "description": message, "error": message, "status": code}).to_string();
    Some(
        format!(
            "HTTP/1.1 {code} {reason}\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        )
        .into_bytes(),
    )
}

/// A connection whose hyper-made error answers are sent as JSON.
pub(crate) struct JsonParseErrors<S> {
    inner: S,
    /// A replacement answer and how much of it is written.
    pending: Option<(Vec<u8>, usize)>,
}

impl<S> JsonParseErrors<S> {
    pub(crate) fn new(inner: S) -> Self {
        JsonParseErrors { inner, pending: None }
    }
}

impl<S: AsyncWrite + Unpin> JsonParseErrors<S> {
    /// Writes what is left of a replacement answer.
    fn drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while let Some((bytes, done)) = &mut self.pending {
            if *done == bytes.len() {
                self.pending = None;
                break;
            }
            let n = ready!(Pin::new(&mut self.inner).poll_write(cx, &bytes[*done..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            *done += n;
        }
        Poll::Ready(Ok(()))
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for JsonParseErrors<S> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for JsonParseErrors<S> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        ready!(self.drain(cx))?;
        if let Some(json) = replacement(buf) {
            // Taken whole: hyper's answer is replaced, not sent.
            self.pending = Some((json, 0));
            // Written by the next write, flush or shutdown if not now.
            let _ = self.drain(cx)?;
            return Poll::Ready(Ok(buf.len()));
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        ready!(self.drain(cx))?;
        if let Some(json) = bufs.iter().find(|b| !b.is_empty()).and_then(|b| replacement(b)) {
            self.pending = Some((json, 0));
            let _ = self.drain(cx)?;
            return Poll::Ready(Ok(bufs.iter().map(|b| b.len()).sum()));
        }
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.drain(cx))?;
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.drain(cx))?;
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hypers_own_error_heads_are_replaced() {
        let json =
            replacement(b"HTTP/1.1 414 URI Too Long\r\nconnection: close\r\ncontent-length: 0\r\ndate: x\r\n\r\n")
                .expect("replaced");
        let text = String::from_utf8(json).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 414 URI Too Long\r\n"), "{head}");
        assert!(head.contains("content-type: application/json"), "{head}");
        assert!(head.contains(&format!("content-length: {}", body.len())), "{head}");
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(v["status"], 414);
        // An answer of the router, or a body that happens to start alike.
        for other in [
            &b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: 40\r\n"[..],
            b"HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 0\r\n",
            b"{\"error\":\"x\"}",
        ] {
            assert!(replacement(other).is_none());
        }
    }
}
