//! The backup file: a gzip stream of a magic line, a header line (JSON), the store's entries
//! as length-prefixed key and value, an end mark and the number of entries. gzip's own CRC
//! covers every byte, and the end mark with the count tells a cut-short file from a whole one.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::Path;

use chrono::{DateTime, Utc};
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use serde::{Deserialize, Serialize};

const MAGIC: &[u8] = b"ROUNDS-BACKUP 1\n";
/// The length that marks the end of the entries (no key is this long).
const END: u32 = u32::MAX;
/// Longest key or value a backup may hold (sled values here are JSON records, far below).
const MAX_FIELD: u32 = 1 << 26;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Header {
    pub taken_at: DateTime<Utc>,
    /// The version of the server that wrote it.
    pub server: String,
}

/// Writes `entries` to a new file at `path` and syncs it to disk; the file's size.
pub fn write<'a>(
    path: &Path,
    header: &Header,
    entries: impl Iterator<Item = (&'a [u8], &'a [u8])>,
) -> io::Result<u64> {
    let file = File::options().write(true).create_new(true).open(path)?;
    // Level 1: store entries are JSON, which compresses several-fold even at the fastest
    // level, and a backup should not hold a core for long.
    let mut out = GzEncoder::new(BufWriter::new(file), Compression::fast());
    out.write_all(MAGIC)?;
    serde_json::to_writer(&mut out, header)?;
    out.write_all(b"\n")?;
    let mut count = 0u64;
    for (k, v) in entries {
        for field in [k, v] {
            let len = u32::try_from(field.len())
                .ok()
                .filter(|l| *l < MAX_FIELD)
                .ok_or_else(|| io::Error::other("a stored value is too large for a backup"))?;
            out.write_all(&len.to_be_bytes())?;
            out.write_all(field)?;
        }
        count += 1;
    }
    out.write_all(&END.to_be_bytes())?;
    out.write_all(&count.to_be_bytes())?;
    let file = out
        .finish()?
        .into_inner()
        .map_err(io::IntoInnerError::into_error)?;
    file.sync_all()?;
    Ok(file.metadata()?.len())
}

/// Why a file could not be read back.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("it is not a Rounds backup")]
    NotABackup,
    #[error("it is damaged or cut short ({0})")]
    Damaged(String),
    #[error("{0}")]
    Io(#[from] io::Error),
}

/// Reads the file at `path`, handing each entry to `each`; the header and the number of
/// entries. Every byte is checked (gzip's CRC, the end mark, the count) before it returns
/// `Ok`, so a caller that wrote entries elsewhere must discard them on an error.
pub fn read(
    path: &Path,
    mut each: impl FnMut(Vec<u8>, Vec<u8>) -> io::Result<()>,
) -> Result<(Header, u64), ReadError> {
    let damaged = |e: io::Error| match e.kind() {
        io::ErrorKind::UnexpectedEof | io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData => {
            ReadError::Damaged(e.to_string())
        }
        _ => ReadError::Io(e),
    };
    let mut file = BufReader::new(File::open(path)?);
    let mut gz_magic = [0u8; 2];
    if file.read_exact(&mut gz_magic).is_err() || gz_magic != [0x1f, 0x8b] {
        return Err(ReadError::NotABackup);
    }
    let file = BufReader::new(File::open(path)?);
    let mut input = BufReader::new(GzDecoder::new(file));
    let mut magic = [0u8; MAGIC.len()];
    input.read_exact(&mut magic).map_err(damaged)?;
    if magic != MAGIC {
        return Err(ReadError::NotABackup);
    }
    let mut line = Vec::new();
    io::BufRead::read_until(&mut (&mut input).take(64 * 1024), b'\n', &mut line)
        .map_err(damaged)?;
    let header: Header =
        serde_json::from_slice(&line).map_err(|e| ReadError::Damaged(format!("header: {e}")))?;
    let mut count = 0u64;
    let field = |input: &mut BufReader<GzDecoder<BufReader<File>>>, len: u32| {
        if len >= MAX_FIELD {
            return Err(ReadError::Damaged(format!("a length of {len} bytes")));
        }
        let mut buf = vec![0u8; len as usize];
        input.read_exact(&mut buf).map_err(damaged)?;
        Ok(buf)
    };
    loop {
        let len = read_u32(&mut input).map_err(damaged)?;
        if len == END {
            break;
        }
        let key = field(&mut input, len)?;
        let len = read_u32(&mut input).map_err(damaged)?;
        let value = field(&mut input, len)?;
        each(key, value)?;
        count += 1;
    }
    let mut n = [0u8; 8];
    input.read_exact(&mut n).map_err(damaged)?;
    if u64::from_be_bytes(n) != count {
        return Err(ReadError::Damaged(format!(
            "{count} entries where the file says {}",
            u64::from_be_bytes(n)
        )));
    }
    // Reading to the end makes the decoder check gzip's CRC and length.
    let mut rest = Vec::new();
    input.read_to_end(&mut rest).map_err(damaged)?;
    if !rest.is_empty() {
        return Err(ReadError::Damaged("bytes after the end".into()));
    }
    Ok((header, count))
}

fn read_u32(input: &mut impl Read) -> io::Result<u32> {
    let mut b = [0u8; 4];
    input.read_exact(&mut b)?;
    Ok(u32::from_be_bytes(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> Header {
        Header {
            taken_at: Utc::now(),
            server: "test".into(),
        }
    }

    fn entries() -> Vec<(Vec<u8>, Vec<u8>)> {
        (0u32..500)
            .map(|i| {
                (
                    i.to_be_bytes().to_vec(),
                    format!("value {i}").repeat(i as usize % 7).into_bytes(),
                )
            })
            .collect()
    }

    #[test]
    fn what_is_written_reads_back_entry_for_entry() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b");
        let all = entries();
        let h = header();
        write(
            &path,
            &h,
            all.iter().map(|(k, v)| (k.as_slice(), v.as_slice())),
        )
        .unwrap();
        let mut back = Vec::new();
        let (h2, n) = read(&path, |k, v| {
            back.push((k, v));
            Ok(())
        })
        .unwrap();
        assert_eq!((h2, n), (h, 500));
        assert_eq!(back, all);
    }

    #[test]
    fn a_file_cut_short_or_flipped_anywhere_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b");
        let all = entries();
        write(
            &path,
            &header(),
            all.iter().map(|(k, v)| (k.as_slice(), v.as_slice())),
        )
        .unwrap();
        let bytes = std::fs::read(&path).unwrap();
        let bad = dir.path().join("bad");
        for cut in [bytes.len() - 1, bytes.len() - 8, bytes.len() / 2, 20, 3] {
            std::fs::write(&bad, &bytes[..cut]).unwrap();
            let r = read(&bad, |_, _| Ok(()));
            assert!(
                matches!(r, Err(ReadError::Damaged(_))),
                "cut at {cut}: {r:?}"
            );
        }
        for at in [bytes.len() / 3, bytes.len() - 5] {
            let mut flipped = bytes.clone();
            flipped[at] ^= 0x10;
            std::fs::write(&bad, &flipped).unwrap();
            assert!(read(&bad, |_, _| Ok(())).is_err(), "flipped at {at}");
        }
        std::fs::write(&bad, b"key,value\n1,2\n").unwrap();
        assert!(matches!(
            read(&bad, |_, _| Ok(())),
            Err(ReadError::NotABackup)
        ));
    }
}
