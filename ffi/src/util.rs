//! Argument conversion shared by every module: `(ptr, len)` inputs, caller
//! buffers for outputs, handles.

use crate::error::Error;
use ktpel_core::Code;

/// A borrowed UTF-8 string or byte string: `len` bytes at `ptr`, not
/// NUL-terminated. `ptr` may be NULL only when `len` is 0.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct ktpel_str {
    /// First byte (may be NULL when `len` is 0).
    pub ptr: *const u8,
    /// Number of bytes.
    pub len: usize,
}

/// Reads an input byte string. NULL is accepted only with `len == 0`.
///
/// # Safety
/// `ptr` must be NULL or point to `len` readable bytes that stay valid and
/// unmodified for `'a` (the duration of the call).
pub(crate) unsafe fn bytes<'a>(ptr: *const u8, len: usize, arg: &str) -> Result<&'a [u8], Error> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(Error::null(arg));
    }
    // SAFETY: non-NULL, and the caller guarantees `len` readable bytes for 'a.
    Ok(unsafe { core::slice::from_raw_parts(ptr, len) })
}

/// Reads an input UTF-8 string.
///
/// # Safety
/// As [`bytes`].
pub(crate) unsafe fn text<'a>(ptr: *const u8, len: usize, arg: &str) -> Result<&'a str, Error> {
    // SAFETY: forwarded contract.
    let b = unsafe { bytes(ptr, len, arg)? };
    core::str::from_utf8(b).map_err(|e| {
        Error::new(
            Code::InvalidUtf8,
            format!(
                "argument `{arg}` is not UTF-8 (invalid byte at offset {})",
                e.valid_up_to()
            ),
        )
    })
}

/// Reads an input array of `count` items. NULL is accepted only with
/// `count == 0`.
///
/// # Safety
/// `ptr` must be NULL or point to `count` initialised, readable `T`.
pub(crate) unsafe fn array<'a, T>(
    ptr: *const T,
    count: usize,
    arg: &str,
) -> Result<&'a [T], Error> {
    if count == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(Error::null(arg));
    }
    // SAFETY: non-NULL; the caller guarantees `count` readable items.
    Ok(unsafe { core::slice::from_raw_parts(ptr, count) })
}

/// An output array of `count` items. NULL is accepted only with `count == 0`.
///
/// # Safety
/// `ptr` must be NULL or point to `count` writable `T` not aliased elsewhere
/// during the call.
pub(crate) unsafe fn array_mut<'a, T>(
    ptr: *mut T,
    count: usize,
    arg: &str,
) -> Result<&'a mut [T], Error> {
    if count == 0 {
        return Ok(&mut []);
    }
    if ptr.is_null() {
        return Err(Error::null(arg));
    }
    // SAFETY: non-NULL; the caller guarantees `count` writable, unaliased items.
    Ok(unsafe { core::slice::from_raw_parts_mut(ptr, count) })
}

/// Checks that `need` bytes fit a caller buffer; if not, reports the size in
/// `*out_written` and fails with `BUFFER_TOO_SMALL`.
///
/// # Safety
/// `out_written` must be non-NULL and writable.
pub(crate) unsafe fn ensure_capacity(
    need: usize,
    cap: usize,
    out_written: *mut usize,
    arg: &str,
) -> Result<(), Error> {
    if need > cap {
        // SAFETY: the caller checked `out_written` for NULL (boundary list).
        unsafe { *out_written = need };
        return Err(Error::too_small(arg, cap, need));
    }
    Ok(())
}

/// Writes `src` into the caller buffer `(buf, cap)` and its length into
/// `*out_written` (rule 6 of the README).
///
/// # Safety
/// `out_written` must be non-NULL and writable; `buf` must be NULL (with
/// `cap == 0`) or point to `cap` writable bytes.
pub(crate) unsafe fn write_out(
    src: &[u8],
    buf: *mut u8,
    cap: usize,
    out_written: *mut usize,
    arg: &str,
) -> Result<(), Error> {
    // SAFETY: forwarded contract for `out_written`.
    unsafe { ensure_capacity(src.len(), cap, out_written, arg)? };
    if !src.is_empty() {
        if buf.is_null() {
            return Err(Error::null(arg));
        }
        // SAFETY: `buf` is non-NULL with `cap >= src.len()` writable bytes,
        // and cannot overlap `src`, which ktpel owns.
        unsafe { core::ptr::copy_nonoverlapping(src.as_ptr(), buf, src.len()) };
    }
    // SAFETY: non-NULL (checked by the boundary), writable.
    unsafe { *out_written = src.len() };
    Ok(())
}

/// Writes a value to a non-NULL out-parameter.
///
/// # Safety
/// `out` must be non-NULL, aligned and writable.
pub(crate) unsafe fn put<T>(out: *mut T, value: T) {
    // SAFETY: forwarded contract; `write` does not drop the old (possibly
    // uninitialised) value.
    unsafe { out.write(value) };
}

/// Moves a value into a new handle.
pub(crate) fn into_handle<T>(value: T) -> *mut T {
    Box::into_raw(Box::new(value))
}

/// Borrows a handle mutably.
///
/// # Safety
/// `h` must be non-NULL, come from [`into_handle`] and not be freed or used
/// by another thread during the call.
pub(crate) unsafe fn handle_mut<'a, T>(h: *mut T) -> &'a mut T {
    // SAFETY: forwarded contract.
    unsafe { &mut *h }
}

/// Borrows a handle.
///
/// # Safety
/// `h` must be non-NULL, come from [`into_handle`] and not be freed during the
/// call.
pub(crate) unsafe fn handle_ref<'a, T>(h: *const T) -> &'a T {
    // SAFETY: forwarded contract.
    unsafe { &*h }
}

/// Frees a handle; NULL is a no-op.
///
/// # Safety
/// `h` must be NULL or come from [`into_handle`] and not be freed before.
pub(crate) unsafe fn free_handle<T>(h: *mut T) {
    if !h.is_null() {
        // SAFETY: the caller guarantees `h` came from `Box::into_raw` and is
        // freed exactly once.
        drop(unsafe { Box::from_raw(h) });
    }
}
