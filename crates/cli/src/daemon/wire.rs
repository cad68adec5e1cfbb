//! Messages on the daemon's socket: a 4-byte big-endian length, then JSON.

use std::io::{Read, Write};

use serde::de::DeserializeOwned;
use serde::Serialize;

pub fn send<T: Serialize>(w: &mut impl Write, message: &T) -> std::io::Result<()> {
    let body = serde_json::to_vec(message).map_err(std::io::Error::other)?;
    let len = u32::try_from(body.len()).map_err(std::io::Error::other)?;
    let mut frame = Vec::with_capacity(body.len() + 4);
    frame.extend_from_slice(&len.to_be_bytes());
    frame.extend_from_slice(&body);
    w.write_all(&frame)
}

/// The next message; a frame longer than `max` bytes is refused unread.
pub fn receive<T: DeserializeOwned>(r: &mut impl Read, max: usize) -> std::io::Result<T> {
    let mut len = [0u8; 4];
    r.read_exact(&mut len)?;
    let len = u32::from_be_bytes(len) as usize;
    if len > max {
        return Err(std::io::Error::other(format!("a message of {len} bytes (at most {max})")));
    }
    let mut body = vec![0u8; len];
    r.read_exact(&mut body)?;
    serde_json::from_slice(&body).map_err(std::io::Error::other)
}
