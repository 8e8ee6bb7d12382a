//! Merkle tree hashing of RFC 9162 (Certificate Transparency 2.0, §2.1):
//! leaves hashed `SHA-256(0x00 || data)`, nodes `SHA-256(0x01 || left ||
//! right)`, the split at the largest power of two below the size; inclusion
//! proofs and their verification (§2.1.3).
//!
//! ```
//! use ktpel_core::privacy::merkle;
//! let leaves: Vec<[u8; 32]> = (0u8..5).map(|i| merkle::leaf_hash(&[i])).collect();
//! let root = merkle::root(&leaves);
//! let proof = merkle::inclusion_proof(&leaves, 3).unwrap();
//! assert!(merkle::verify_inclusion(&leaves[3], 3, 5, &proof, &root));
//! assert!(!merkle::verify_inclusion(&leaves[2], 3, 5, &proof, &root));
//! ```

use alloc::vec::Vec;
use sha2::{Digest, Sha256};

/// A SHA-256 hash.
pub type Hash = [u8; 32];

/// `SHA-256(0x00 || data)`: the hash of a leaf.
pub fn leaf_hash(data: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(data);
    h.finalize().into()
}

/// `SHA-256(0x01 || left || right)`: the hash of an inner node.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([1u8]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// Largest power of two strictly below `n` (n ≥ 2).
fn split(n: usize) -> usize {
    let mut k = 1;
    while k << 1 < n {
        k <<= 1;
    }
    k
}

/// The Merkle tree head over `leaves` (already leaf-hashed). The empty tree
/// hashes to `SHA-256("")`.
pub fn root(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => Sha256::digest(b"").into(),
        1 => leaves[0],
        n => {
            let k = split(n);
            node_hash(&root(&leaves[..k]), &root(&leaves[k..]))
        }
    }
}

/// The audit path of leaf `index` in the tree over `leaves` (RFC 9162
/// `PATH(m, D[n])`), bottom first; `None` when `index` is out of range.
pub fn inclusion_proof(leaves: &[Hash], index: usize) -> Option<Vec<Hash>> {
    if index >= leaves.len() {
        return None;
    }
    let mut out = Vec::new();
    path(leaves, index, &mut out);
    Some(out)
}

fn path(leaves: &[Hash], m: usize, out: &mut Vec<Hash>) {
    let n = leaves.len();
    if n <= 1 {
        return;
    }
    let k = split(n);
    if m < k {
        path(&leaves[..k], m, out);
        out.push(root(&leaves[k..]));
    } else {
        path(&leaves[k..], m - k, out);
        out.push(root(&leaves[..k]));
    }
}

/// Verifies that `leaf` (a leaf hash) is leaf `index` of the tree of `size`
/// leaves with head `root`, given its audit path (RFC 9162 §2.1.3.2).
pub fn verify_inclusion(leaf: &Hash, index: u64, size: u64, proof: &[Hash], root: &Hash) -> bool {
    if index >= size {
        return false;
    }
    let (mut fnode, mut snode) = (index, size - 1);
    let mut r = *leaf;
    for p in proof {
        if snode == 0 {
            return false;
        }
        if fnode & 1 == 1 || fnode == snode {
            r = node_hash(p, &r);
            if fnode & 1 == 0 {
                while fnode & 1 == 0 && fnode != 0 {
                    fnode >>= 1;
                    snode >>= 1;
                }
            }
        } else {
            r = node_hash(&r, p);
        }
        fnode >>= 1;
        snode >>= 1;
    }
    snode == 0 && subtle::ConstantTimeEq::ct_eq(&r[..], &root[..]).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_proof_of_every_size_verifies_and_wrong_ones_fail() {
        let leaves: Vec<Hash> = (0u32..40).map(|i| leaf_hash(&i.to_be_bytes())).collect();
        for n in 1..=leaves.len() {
            let r = root(&leaves[..n]);
            for m in 0..n {
                let p = inclusion_proof(&leaves[..n], m).unwrap();
                assert!(
                    verify_inclusion(&leaves[m], m as u64, n as u64, &p, &r),
                    "{m}/{n}"
                );
                assert!(!verify_inclusion(
                    &leaves[(m + 1) % 40],
                    m as u64,
                    n as u64,
                    &p,
                    &r
                ));
                if n > 1 {
                    assert!(!verify_inclusion(
                        &leaves[m],
                        ((m + 1) % n) as u64,
                        n as u64,
                        &p,
                        &r
                    ));
                }
            }
        }
    }
}
