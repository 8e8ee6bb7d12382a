//! Triple-DES primitives: keys with parity and weak-key checks, CBC,
//! ISO/IEC 9797-1 padding methods 1–3 and MAC algorithm 3 (the "retail MAC").
//!
//! Keys are 16 bytes (2-key TDES, K1‖K2, K3 = K1; ICAO 9303) or 24 bytes
//! (3-key TDES, 168-bit, K1‖K2‖K3; PMDN 76/2020). A key whose parts are equal
//! (which degenerates to single DES) or that contains a known weak or
//! semi-weak DES key is refused.
//!
//! MAC algorithm 3 runs single-DES CBC under K1 over all blocks and then
//! decrypts the last result under K2 and encrypts it under K3. With a 2-key
//! key (K3 = K1) this is exactly ISO/IEC 9797-1 MAC algorithm 3 with
//! K = K1, K' = K2; with a 3-key key the final transformation is the full
//! 3-key TDES of the last chaining block, the usual 168-bit generalisation.
//!
//! ```
//! use ktpel_core::sam::tdes::{Padding, TdesKey};
//! use ktpel_core::sam::hex;
//! // ICAO 9303 Part 11 Appendix D.3: M.IFD over E.IFD with K_mac.
//! let k_mac = TdesKey::new(&hex::decode("7962D9ECE03D1ACD4C76089DCE131543", "k").unwrap()).unwrap();
//! let e_ifd = hex::decode("72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2", "e").unwrap();
//! assert_eq!(hex::encode(&k_mac.retail_mac(&e_ifd, Padding::Method2)), "5F1448EEA8AD90A7");
//! ```

use alloc::vec::Vec;
use cbc::cipher::{Array, BlockCipherDecrypt, BlockCipherEncrypt, KeyInit};
use des::{Des, TdesEde2, TdesEde3};
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::SamError;

/// The DES block size in bytes.
pub const BLOCK: usize = 8;

/// ISO/IEC 9797-1 padding methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Padding {
    /// Method 1: zero bytes up to a whole, non-empty number of blocks.
    Method1,
    /// Method 2: one `80` byte, then zero bytes up to a whole number of blocks
    /// (ISO/IEC 7816-4 padding; what ICAO 9303 uses).
    Method2,
    /// Method 3: a first block holding the data length in bits (big-endian),
    /// then the data zero-padded to a whole number of blocks.
    Method3,
}

impl Padding {
    /// The method from its ISO number (1, 2 or 3).
    pub fn from_number(n: u8) -> Option<Padding> {
        match n {
            1 => Some(Padding::Method1),
            2 => Some(Padding::Method2),
            3 => Some(Padding::Method3),
            _ => None,
        }
    }

    /// Pads `data` into a new buffer.
    pub fn pad(self, data: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(data.len() + 2 * BLOCK);
        match self {
            Padding::Method1 => {
                out.extend_from_slice(data);
                if out.is_empty() || out.len() % BLOCK != 0 {
                    out.resize(out.len().div_ceil(BLOCK).max(1) * BLOCK, 0);
                }
            }
            Padding::Method2 => {
                out.extend_from_slice(data);
                out.push(0x80);
                out.resize(out.len().div_ceil(BLOCK) * BLOCK, 0);
            }
            Padding::Method3 => {
                let bits = (data.len() as u64).wrapping_mul(8);
                out.extend_from_slice(&bits.to_be_bytes());
                out.extend_from_slice(data);
                out.resize(out.len().div_ceil(BLOCK) * BLOCK, 0);
            }
        }
        out
    }
}

/// Pads with ISO/IEC 9797-1 method 2 (`80 00 …`).
pub fn pad_method2(data: &[u8]) -> Vec<u8> {
    Padding::Method2.pad(data)
}

/// Removes ISO/IEC 9797-1 method 2 padding: the data must end in `80`
/// followed by fewer than 8 zero bytes.
pub fn unpad_method2(data: &[u8]) -> Result<&[u8], SamError> {
    let mut i = data.len();
    while i > 0 && data[i - 1] == 0 && data.len() - i < BLOCK {
        i -= 1;
    }
    if i == 0 || data[i - 1] != 0x80 || data.len() - (i - 1) > BLOCK {
        return Err(SamError::BadPadding);
    }
    Ok(&data[..i - 1])
}

/// Sets the least significant bit of each byte so that every byte has odd
/// parity, as DES keys require.
pub fn adjust_parity(key: &mut [u8]) {
    for b in key {
        let ones = (*b & 0xFE).count_ones();
        *b = (*b & 0xFE) | u8::from(ones % 2 == 0);
    }
}

/// A 2-key (16-byte) or 3-key (24-byte) Triple-DES key.
///
/// Zeroized on drop; `Debug` shows only its length.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct TdesKey {
    bytes: [u8; 24],
    len: u8,
}

impl core::fmt::Debug for TdesKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "TdesKey({}-key, secret)", self.len / 8)
    }
}

impl TdesKey {
    /// A key from 16 or 24 bytes. Parity bits are not checked (DES ignores
    /// them) but weak keys and equal parts are refused.
    pub fn new(key: &[u8]) -> Result<TdesKey, SamError> {
        if key.len() != 16 && key.len() != 24 {
            return Err(SamError::InvalidKey {
                what: "TDES key",
                expected: "16 or 24 bytes",
                len: key.len(),
            });
        }
        // `weak_key_test` compares whole bytes, so also compare the parts with
        // their parity bits masked off.
        let mut masked = [0u8; 24];
        for (m, k) in masked.iter_mut().zip(key) {
            *m = k | 1;
            adjust_parity(core::slice::from_mut(m));
        }
        let weak =
            des::weak_key_test(key).is_err() || des::weak_key_test(&masked[..key.len()]).is_err();
        masked.zeroize();
        if weak {
            return Err(SamError::WeakKey { what: "TDES key" });
        }
        let mut bytes = [0u8; 24];
        bytes[..key.len()].copy_from_slice(key);
        Ok(TdesKey {
            bytes,
            len: key.len() as u8,
        })
    }

    /// The key with its parity bits adjusted (see [`adjust_parity`]).
    pub fn with_parity(key: &[u8]) -> Result<TdesKey, SamError> {
        let mut k = TdesKey::new(key)?;
        let len = usize::from(k.len);
        adjust_parity(&mut k.bytes[..len]);
        Ok(k)
    }

    /// 16 for 2-key TDES, 24 for 3-key TDES.
    pub fn len(&self) -> usize {
        usize::from(self.len)
    }

    /// Always false: a key is never empty.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The raw key bytes. Handle with care: this is secret material.
    pub fn expose_secret(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }

    fn part(&self, i: usize) -> Des {
        let i = if self.len == 16 && i == 2 { 0 } else { i };
        let k: [u8; 8] = self.bytes[i * 8..i * 8 + 8]
            .try_into()
            .expect("8-byte slice");
        Des::new(&k.into())
    }

    /// TDES-CBC encryption in place; `data` must be a whole number of blocks.
    pub fn encrypt_cbc(&self, iv: &[u8; 8], data: &mut [u8]) -> Result<(), SamError> {
        check_blocks(data)?;
        match self.len {
            16 => cbc_encrypt(
                &TdesEde2::new(self.bytes[..16].try_into().expect("16")),
                iv,
                data,
            ),
            _ => cbc_encrypt(
                &TdesEde3::new(self.bytes[..].try_into().expect("24")),
                iv,
                data,
            ),
        }
        Ok(())
    }

    /// TDES-CBC decryption in place; `data` must be a whole number of blocks.
    pub fn decrypt_cbc(&self, iv: &[u8; 8], data: &mut [u8]) -> Result<(), SamError> {
        check_blocks(data)?;
        match self.len {
            16 => cbc_decrypt(
                &TdesEde2::new(self.bytes[..16].try_into().expect("16")),
                iv,
                data,
            ),
            _ => cbc_decrypt(
                &TdesEde3::new(self.bytes[..].try_into().expect("24")),
                iv,
                data,
            ),
        }
        Ok(())
    }

    /// ISO/IEC 9797-1 MAC algorithm 3 over `data` padded with `padding`;
    /// returns the full 8-byte MAC.
    pub fn retail_mac(&self, data: &[u8], padding: Padding) -> [u8; 8] {
        let padded = padding.pad(data);
        self.retail_mac_padded(&padded)
    }

    /// MAC algorithm 3 over data that is already a whole number of blocks.
    fn retail_mac_padded(&self, padded: &[u8]) -> [u8; 8] {
        debug_assert!(!padded.is_empty() && padded.len() % BLOCK == 0);
        let k1 = self.part(0);
        let mut h = Array::<u8, des::cipher::consts::U8>::default();
        for chunk in padded.chunks_exact(BLOCK) {
            for (a, b) in h.iter_mut().zip(chunk) {
                *a ^= b;
            }
            k1.encrypt_block(&mut h);
        }
        self.part(1).decrypt_block(&mut h);
        self.part(2).encrypt_block(&mut h);
        h.into()
    }
}

fn check_blocks(data: &[u8]) -> Result<(), SamError> {
    if data.len() % BLOCK != 0 {
        return Err(SamError::InvalidLength {
            what: "data",
            expected: "a multiple of 8 bytes",
            len: data.len(),
        });
    }
    Ok(())
}

fn cbc_encrypt<C: BlockCipherEncrypt<BlockSize = des::cipher::consts::U8>>(
    cipher: &C,
    iv: &[u8; 8],
    data: &mut [u8],
) {
    let mut prev = *iv;
    for chunk in data.chunks_exact_mut(BLOCK) {
        let mut block = Array::<u8, des::cipher::consts::U8>::default();
        for i in 0..BLOCK {
            block[i] = chunk[i] ^ prev[i];
        }
        cipher.encrypt_block(&mut block);
        chunk.copy_from_slice(&block);
        prev.copy_from_slice(&block);
    }
}

fn cbc_decrypt<C: BlockCipherDecrypt<BlockSize = des::cipher::consts::U8>>(
    cipher: &C,
    iv: &[u8; 8],
    data: &mut [u8],
) {
    let mut prev = *iv;
    for chunk in data.chunks_exact_mut(BLOCK) {
        let mut block = Array::<u8, des::cipher::consts::U8>::default();
        block.copy_from_slice(chunk);
        let saved: [u8; 8] = block.into();
        cipher.decrypt_block(&mut block);
        for i in 0..BLOCK {
            chunk[i] = block[i] ^ prev[i];
        }
        prev = saved;
    }
}

#[cfg(test)]
mod tests {
    use super::super::hex;
    use super::*;
    use proptest::prelude::*;

    fn h(s: &str) -> Vec<u8> {
        hex::decode(s, "t").unwrap()
    }

    #[test]
    fn parity_matches_icao_d2() {
        let mut k = h("AB94FCEDF2664EDFB9B291F85D7F77F2");
        adjust_parity(&mut k);
        assert_eq!(hex::encode(&k), "AB94FDECF2674FDFB9B391F85D7F76F2");
    }

    #[test]
    fn padding_methods() {
        assert_eq!(hex::encode(&Padding::Method1.pad(&[])), "0000000000000000");
        assert_eq!(
            hex::encode(&Padding::Method1.pad(&[1; 8])),
            "0101010101010101"
        );
        assert_eq!(hex::encode(&Padding::Method2.pad(&[])), "8000000000000000");
        assert_eq!(
            hex::encode(&Padding::Method2.pad(&[1; 8])),
            "01010101010101018000000000000000"
        );
        assert_eq!(
            hex::encode(&Padding::Method3.pad(&[1, 2])),
            "00000000000000100102000000000000"
        );
    }

    #[test]
    fn unpad_rejects_bad_padding() {
        assert_eq!(unpad_method2(&h("0102800000000000")).unwrap(), &[1, 2]);
        assert_eq!(unpad_method2(&h("8000000000000000")).unwrap(), &[] as &[u8]);
        assert!(unpad_method2(&h("0102000000000000")).is_err());
        assert!(unpad_method2(&h("800000000000000000")).is_err());
        assert!(unpad_method2(&[]).is_err());
    }

    #[test]
    fn rejects_bad_keys() {
        assert!(matches!(
            TdesKey::new(&[1; 8]),
            Err(SamError::InvalidKey { len: 8, .. })
        ));
        // K1 == K2 (degenerates to DES), also when only parity bits differ.
        let mut k = h("0123456789ABCDEF0123456789ABCDEF");
        assert!(matches!(TdesKey::new(&k), Err(SamError::WeakKey { .. })));
        k[15] ^= 1;
        assert!(matches!(TdesKey::new(&k), Err(SamError::WeakKey { .. })));
        // A weak DES key as one part.
        assert!(TdesKey::new(&h("0101010101010101FEDCBA9876543210")).is_err());
        assert!(TdesKey::new(&h("0123456789ABCDEF23456789ABCDEF010123456789ABCDEF")).is_err());
        assert!(
            format!(
                "{:?}",
                TdesKey::new(&h("0123456789ABCDEF23456789ABCDEF01")).unwrap()
            ) == "TdesKey(2-key, secret)"
        );
    }

    #[test]
    fn cbc_requires_whole_blocks() {
        let k = TdesKey::new(&h("0123456789ABCDEF23456789ABCDEF01")).unwrap();
        let mut d = [0u8; 9];
        assert!(k.encrypt_cbc(&[0; 8], &mut d).is_err());
        assert!(k.decrypt_cbc(&[0; 8], &mut d).is_err());
    }

    proptest! {
        #[test]
        fn cbc_round_trip(
            key in proptest::collection::vec(any::<u8>(), 24),
            three in any::<bool>(),
            iv in any::<[u8; 8]>(),
            blocks in proptest::collection::vec(any::<[u8; 8]>(), 0..8),
        ) {
            let key = if three { &key[..] } else { &key[..16] };
            if let Ok(k) = TdesKey::new(key) {
                let plain: Vec<u8> = blocks.concat();
                let mut buf = plain.clone();
                k.encrypt_cbc(&iv, &mut buf).unwrap();
                k.decrypt_cbc(&iv, &mut buf).unwrap();
                prop_assert_eq!(buf, plain);
            }
        }

        #[test]
        fn unpad_never_panics(data in proptest::collection::vec(any::<u8>(), 0..40)) {
            let _ = unpad_method2(&data);
        }

        #[test]
        fn pad_unpad_round_trip(data in proptest::collection::vec(any::<u8>(), 0..40)) {
            let padded = pad_method2(&data);
            prop_assert_eq!(padded.len() % 8, 0);
            prop_assert_eq!(unpad_method2(&padded).unwrap(), &data[..]);
        }
    }
}
