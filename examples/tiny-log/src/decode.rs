//! The decoder: a stream of frames back to text, with the program's own message table.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use gather::Registry;

use crate::{Level, MAGIC, Message};

/// Why a stream could not be decoded.
#[derive(Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// The stream does not start with a start frame.
    NoStart,
    /// The program's table is not this one: other source or other cfgs.
    Mismatch {
        /// The decoder's table's fingerprint.
        table: u64,
        /// The fingerprint the program sent.
        stream: u64,
    },
    /// A frame names a message the table does not have.
    UnknownMessage(u64),
    /// The stream ends inside a frame, or holds an unknown argument tag.
    Corrupt(usize),
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            DecodeError::NoStart => {
                write!(f, "the stream does not start with tiny-log's start frame")
            }
            DecodeError::Mismatch { table, stream } => write!(
                f,
                "the program's message table (fingerprint {stream:016x}) is not this decoder's ({table:016x}): \
                 build the decoder from the same source and cfgs as the program"
            ),
            DecodeError::UnknownMessage(i) => write!(f, "message {i} is not in the table"),
            DecodeError::Corrupt(at) => write!(f, "the stream is corrupt at byte {at}"),
        }
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> Result<u8, DecodeError> {
        let b = *self
            .bytes
            .get(self.at)
            .ok_or(DecodeError::Corrupt(self.at))?;
        self.at += 1;
        Ok(b)
    }

    fn varint(&mut self) -> Result<u64, DecodeError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(DecodeError::Corrupt(self.at))
    }

    fn arg(&mut self) -> Result<String, DecodeError> {
        Ok(match self.byte()? {
            1 => format!("{}", self.varint()?),
            2 => {
                let z = self.varint()?;
                format!("{}", ((z >> 1) as i64) ^ -((z & 1) as i64))
            }
            3 => format!("{}", self.byte()? != 0),
            4 => {
                let n = self.varint()? as usize;
                let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
                let end = end.ok_or(DecodeError::Corrupt(self.at))?;
                let s = String::from_utf8_lossy(&self.bytes[self.at..end]).into_owned();
                self.at = end;
                s
            }
            _ => return Err(DecodeError::Corrupt(self.at - 1)),
        })
    }
}

/// The messages of a stream, as `INFO temp = 21` lines, decoded with `table` (the same crate's
/// `__TINY_LOG_MESSAGES`).
pub fn decode(table: Registry<Message>, bytes: &[u8]) -> Result<Vec<String>, DecodeError> {
    if bytes.len() < 10 || bytes[..2] != MAGIC {
        return Err(DecodeError::NoStart);
    }
    let stream = u64::from_le_bytes(bytes[2..10].try_into().unwrap());
    if stream != table.fingerprint() {
        return Err(DecodeError::Mismatch {
            table: table.fingerprint(),
            stream,
        });
    }
    let mut r = Reader { bytes, at: 10 };
    let mut out = Vec::new();
    while r.at < bytes.len() {
        let index = r.varint()?;
        let message = table
            .get(index as usize)
            .ok_or(DecodeError::UnknownMessage(index))?;
        let mut text = String::from(match message.level {
            Level::Info => "INFO ",
            Level::Warn => "WARN ",
        });
        let mut pieces = message.format.split("{}");
        text.push_str(
            &pieces
                .next()
                .unwrap_or("")
                .replace("{{", "{")
                .replace("}}", "}"),
        );
        for piece in pieces {
            text.push_str(&r.arg()?);
            text.push_str(&piece.replace("{{", "{").replace("}}", "}"));
        }
        out.push(text);
    }
    Ok(out)
}
