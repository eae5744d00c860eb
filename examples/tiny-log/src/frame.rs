//! The encoder: frames written to the sink. A stream is the start frame (`MAGIC`, then the
//! table's fingerprint, little-endian) followed by log frames: the message index (LEB128), then
//! each argument as a type tag and its bytes. No allocation, no formatting.

use core::sync::atomic::{AtomicPtr, Ordering};

/// The first bytes of a stream.
pub const MAGIC: [u8; 2] = *b"TL";

/// The largest frame; longer arguments are cut (a `&str` keeps its first bytes).
const CAPACITY: usize = 64;

fn discard(_: &[u8]) {}

static SINK: AtomicPtr<()> = AtomicPtr::new(discard as fn(&[u8]) as *mut ());

/// Where frames go (a UART, semihosting, a buffer). Until it is set they are dropped.
pub fn set_sink(sink: fn(&[u8])) {
    SINK.store(sink as *mut (), Ordering::Release);
}

fn sink(bytes: &[u8]) {
    let f = SINK.load(Ordering::Acquire);
    // SAFETY: SINK only ever holds a `fn(&[u8])`.
    let f: fn(&[u8]) = unsafe { core::mem::transmute::<*mut (), fn(&[u8])>(f) };
    f(bytes)
}

/// Sends the start frame with the table's fingerprint (see `tiny_log::messages!`).
pub fn start(fingerprint: u64) {
    let mut bytes = [0u8; 10];
    bytes[..2].copy_from_slice(&MAGIC);
    bytes[2..].copy_from_slice(&fingerprint.to_le_bytes());
    sink(&bytes);
}

/// One log frame being written (the macros write it).
pub struct Frame {
    bytes: [u8; CAPACITY],
    len: usize,
}

impl Frame {
    /// A frame for the message with this index.
    pub fn new(index: usize) -> Frame {
        let mut f = Frame {
            bytes: [0; CAPACITY],
            len: 0,
        };
        f.varint(index as u64);
        f
    }

    fn push(&mut self, b: u8) {
        if self.len < CAPACITY {
            self.bytes[self.len] = b;
            self.len += 1;
        }
    }

    fn varint(&mut self, mut v: u64) {
        loop {
            let b = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.push(b);
                return;
            }
            self.push(b | 0x80);
        }
    }

    /// Adds an argument.
    pub fn arg<T: Encode + ?Sized>(&mut self, value: &T) {
        self.push(T::TAG);
        value.encode(self);
    }

    /// Writes the frame to the sink.
    pub fn send(self) {
        sink(&self.bytes[..self.len])
    }
}

/// A type that a log call can take as an argument.
pub trait Encode {
    /// Its tag in the stream (see the decoder).
    const TAG: u8;
    /// Writes its bytes.
    fn encode(&self, frame: &mut Frame);
}

macro_rules! unsigned {
    ($($t:ty),*) => {$(
        impl Encode for $t {
            const TAG: u8 = 1;
            fn encode(&self, frame: &mut Frame) {
                frame.varint(*self as u64)
            }
        }
    )*};
}
unsigned!(u8, u16, u32, u64, usize);

macro_rules! signed {
    ($($t:ty),*) => {$(
        impl Encode for $t {
            const TAG: u8 = 2;
            fn encode(&self, frame: &mut Frame) {
                let v = *self as i64;
                frame.varint(((v << 1) ^ (v >> 63)) as u64)
            }
        }
    )*};
}
signed!(i8, i16, i32, i64, isize);

impl Encode for bool {
    const TAG: u8 = 3;
    fn encode(&self, frame: &mut Frame) {
        frame.push(*self as u8)
    }
}

impl Encode for str {
    const TAG: u8 = 4;
    fn encode(&self, frame: &mut Frame) {
        let room = CAPACITY.saturating_sub(frame.len + 2);
        let bytes = &self.as_bytes()[..self.len().min(room)];
        frame.varint(bytes.len() as u64);
        for &b in bytes {
            frame.push(b);
        }
    }
}

impl<T: Encode + ?Sized> Encode for &T {
    const TAG: u8 = T::TAG;
    fn encode(&self, frame: &mut Frame) {
        (**self).encode(frame)
    }
}
