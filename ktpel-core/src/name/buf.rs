//! Output buffers shared by the general path (heap `String`) and the ASCII
//! fast path (fixed stack buffers), so that both run the same code.

use alloc::string::String;

/// Where normalization and keying write their text: a `String`, or a
/// [`StackStr`] on the allocation-free fast path. Only whole `char`s and
/// `str`s are written, so the contents are always valid UTF-8.
pub(crate) trait Sink {
    /// Length in bytes.
    fn len(&self) -> usize;
    /// The bytes written so far.
    fn as_bytes(&self) -> &[u8];
    /// Appends one character.
    fn push(&mut self, c: char);
    /// Appends a string.
    fn push_str(&mut self, s: &str);
    /// Appends ASCII bytes (a caller's promise; a non-ASCII byte would be
    /// a bug, and is never written as such).
    fn push_ascii(&mut self, b: &[u8]);
    /// Cuts back to `n` bytes (`n` on a character boundary, at most `len`).
    fn truncate(&mut self, n: usize);
    /// Room for `n` more bytes, where that helps.
    fn reserve(&mut self, n: usize);
    /// Nothing written.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Sink for String {
    #[inline]
    fn len(&self) -> usize {
        String::len(self)
    }
    #[inline]
    fn as_bytes(&self) -> &[u8] {
        str::as_bytes(self)
    }
    #[inline]
    fn push(&mut self, c: char) {
        String::push(self, c);
    }
    #[inline]
    fn push_str(&mut self, s: &str) {
        String::push_str(self, s);
    }
    #[inline]
    fn push_ascii(&mut self, b: &[u8]) {
        String::push_str(self, core::str::from_utf8(b).unwrap_or_default());
    }
    #[inline]
    fn truncate(&mut self, n: usize) {
        String::truncate(self, n);
    }
    #[inline]
    fn reserve(&mut self, n: usize) {
        String::reserve(self, n);
    }
}

/// A string of at most `N` bytes on the stack. Writing past the end sets
/// [`overflowed`](Self::overflowed) and keeps nothing more; the caller then
/// throws the result away and takes the general path.
#[derive(Clone, Copy)]
pub(crate) struct StackStr<const N: usize> {
    buf: [u8; N],
    len: usize,
    overflow: bool,
}

impl<const N: usize> StackStr<N> {
    /// Empty.
    #[inline]
    pub(crate) fn new() -> Self {
        StackStr {
            buf: [0; N],
            len: 0,
            overflow: false,
        }
    }

    /// Something did not fit: the contents are incomplete.
    #[inline]
    pub(crate) fn overflowed(&self) -> bool {
        self.overflow
    }

    /// The contents as text (`None` only if something went wrong, which
    /// whole-character writes rule out).
    #[inline]
    pub(crate) fn as_str(&self) -> Option<&str> {
        core::str::from_utf8(&self.buf[..self.len]).ok()
    }

    /// Appends the first `n` bytes of `chunk` (ASCII, a caller's promise)
    /// by copying all 16 — one fixed-size copy instead of a `memcpy` call
    /// of a variable length; the bytes past `n` are not part of the
    /// contents. False (nothing written) if the 16 bytes do not fit or `n`
    /// is above 16.
    #[inline]
    pub(crate) fn push_chunk(&mut self, chunk: &[u8; 16], n: usize) -> bool {
        match self.buf.get_mut(self.len..self.len + 16) {
            Some(dst) if n <= 16 && chunk[..n].is_ascii() => {
                dst.copy_from_slice(chunk);
                self.len += n;
                true
            }
            _ => false,
        }
    }

    /// The whole buffer: the contents, then bytes that are not part of
    /// them (for fixed-size reads past the end of a short token).
    #[inline]
    pub(crate) fn padded(&self) -> &[u8] {
        &self.buf
    }

    #[inline]
    fn put(&mut self, bytes: &[u8]) {
        let end = self.len + bytes.len();
        if end > N {
            self.overflow = true;
            return;
        }
        self.buf[self.len..end].copy_from_slice(bytes);
        self.len = end;
    }
}

impl<const N: usize> Sink for StackStr<N> {
    #[inline]
    fn len(&self) -> usize {
        self.len
    }
    #[inline]
    fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }
    #[inline]
    fn push(&mut self, c: char) {
        if c.is_ascii() {
            if self.len < N {
                self.buf[self.len] = c as u8;
                self.len += 1;
            } else {
                self.overflow = true;
            }
        } else {
            let mut b = [0u8; 4];
            self.put(c.encode_utf8(&mut b).as_bytes());
        }
    }
    #[inline]
    fn push_str(&mut self, s: &str) {
        self.put(s.as_bytes());
    }
    #[inline]
    fn push_ascii(&mut self, b: &[u8]) {
        if b.is_ascii() {
            self.put(b);
        } else {
            // not text this buffer may hold: give up, like an overflow
            self.overflow = true;
        }
    }
    #[inline]
    fn truncate(&mut self, n: usize) {
        if n < self.len {
            self.len = n;
        }
    }
    #[inline]
    fn reserve(&mut self, _n: usize) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stack_str_overflow_and_utf8() {
        let mut s = StackStr::<4>::new();
        s.push_str("AB");
        s.push('é');
        assert_eq!(s.as_str(), Some("ABé"));
        assert!(!s.overflowed());
        s.push('X');
        assert!(s.overflowed());
        assert_eq!(s.as_str(), Some("ABé"));
        s.truncate(1);
        assert_eq!(Sink::as_bytes(&s), b"A");
    }
}
