//! Minimal BER-TLV (ISO/IEC 7816-4 §5.2) for secure messaging data objects
//! and the security object: one- or two-byte tags, lengths up to 65535.

use alloc::vec::Vec;

/// Appends a BER length (`L`, `81 L`, `82 LL LL`).
pub fn push_len(out: &mut Vec<u8>, len: usize) {
    debug_assert!(len <= 0xFFFF);
    if len < 0x80 {
        out.push(len as u8);
    } else if len <= 0xFF {
        out.extend_from_slice(&[0x81, len as u8]);
    } else {
        out.push(0x82);
        out.extend_from_slice(&(len as u16).to_be_bytes());
    }
}

/// Appends `tag ‖ L ‖ value`; `tag` is 1 or 2 bytes.
pub fn push_tlv(out: &mut Vec<u8>, tag: u16, value: &[u8]) {
    if tag > 0xFF {
        out.extend_from_slice(&tag.to_be_bytes());
    } else {
        out.push(tag as u8);
    }
    push_len(out, value.len());
    out.extend_from_slice(value);
}

/// One parsed data object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tlv<'a> {
    /// The tag (two-byte tags such as `5F37` as one number).
    pub tag: u16,
    /// The value.
    pub value: &'a [u8],
    /// The whole encoding, tag to end of value.
    pub raw: &'a [u8],
}

/// Parses the next data object at the start of `b`; returns it and the rest.
/// `None` if `b` does not start with a complete data object.
pub fn next(b: &[u8]) -> Option<(Tlv<'_>, &[u8])> {
    let first = *b.first()?;
    let (tag, mut i) = if first & 0x1F == 0x1F {
        let second = *b.get(1)?;
        if second & 0x80 != 0 {
            return None; // tags longer than 2 bytes are not used here
        }
        (u16::from_be_bytes([first, second]), 2)
    } else {
        (u16::from(first), 1)
    };
    let l0 = *b.get(i)?;
    i += 1;
    let len = match l0 {
        0x00..=0x7F => usize::from(l0),
        0x81 => {
            let l = usize::from(*b.get(i)?);
            i += 1;
            l
        }
        0x82 => {
            let l = usize::from(u16::from_be_bytes([*b.get(i)?, *b.get(i + 1)?]));
            i += 2;
            l
        }
        _ => return None,
    };
    let end = i.checked_add(len)?;
    if end > b.len() {
        return None;
    }
    Some((
        Tlv {
            tag,
            value: &b[i..end],
            raw: &b[..end],
        },
        &b[end..],
    ))
}

/// Parses a whole buffer into data objects; `None` if any is incomplete.
pub fn parse_all(mut b: &[u8]) -> Option<Vec<Tlv<'_>>> {
    let mut v = Vec::new();
    while !b.is_empty() {
        let (t, rest) = next(b)?;
        v.push(t);
        b = rest;
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn lengths_round_trip() {
        for len in [0usize, 1, 127, 128, 255, 256, 8192] {
            let mut out = Vec::new();
            push_tlv(&mut out, 0x5F37, &alloc::vec![7u8; len]);
            let (t, rest) = next(&out).unwrap();
            assert_eq!((t.tag, t.value.len(), rest.len()), (0x5F37, len, 0));
        }
    }

    proptest! {
        #[test]
        fn never_panics(b in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = parse_all(&b);
        }
    }
}
