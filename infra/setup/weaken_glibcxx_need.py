#!/usr/bin/env python3
"""Mark one GLIBCXX symbol-version need of an ELF shared library as weak.

TorchSharp 0.107.0's libLibTorchSharp.so was linked against GCC 13 and records a need
for GLIBCXX_3.4.32 (only for std::ios_base_library_init, a marker that is never
called). Debian 12's libstdc++ stops at GLIBCXX_3.4.30, so the dynamic loader refuses
the library. Setting VER_FLG_WEAK (2) in that one Vernaux entry of .gnu.version_r makes
the loader accept it; every other need stays strict.

Usage: weaken_glibcxx_need.py LIBRARY [VERSION]
Exit codes: 0 patched or already weak, 3 the library has no such need, 1 error.
Standard library only: runs on any python3 >= 3.6.
"""
import os
import struct
import sys
import tempfile

SHT_GNU_VERNEED = 0x6FFFFFFE
VER_FLG_WEAK = 0x2


def read_cstring(blob, offset):
    end = blob.index(b"\0", offset)
    return blob[offset:end].decode("ascii", "replace")


def find_vernaux(blob, version):
    """Return the file offset of the vna_flags field for `version`, or None."""
    if blob[:4] != b"\x7fELF" or blob[4] != 2 or blob[5] != 1:
        raise ValueError("not a little-endian ELF64 file")
    e_shoff, = struct.unpack_from("<Q", blob, 0x28)
    e_shentsize, e_shnum = struct.unpack_from("<HH", blob, 0x3A)

    def section(index):
        base = e_shoff + index * e_shentsize
        sh_type, = struct.unpack_from("<I", blob, base + 4)
        sh_offset, sh_size = struct.unpack_from("<QQ", blob, base + 0x18)
        sh_link, sh_info = struct.unpack_from("<II", blob, base + 0x28)
        return sh_type, sh_offset, sh_size, sh_link, sh_info

    for index in range(e_shnum):
        sh_type, sh_offset, _, sh_link, sh_info = section(index)
        if sh_type != SHT_GNU_VERNEED:
            continue
        strtab_offset = section(sh_link)[1]
        entry = sh_offset
        for _ in range(sh_info):  # sh_info holds the number of Verneed entries
            _, vn_cnt, _, vn_aux, vn_next = struct.unpack_from("<HHIII", blob, entry)
            aux = entry + vn_aux
            for _ in range(vn_cnt):
                _, _, _, vna_name, vna_next = struct.unpack_from("<IHHII", blob, aux)
                if read_cstring(blob, strtab_offset + vna_name) == version:
                    return aux + 4
                if vna_next == 0:
                    break
                aux += vna_next
            if vn_next == 0:
                break
            entry += vn_next
    return None


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 1
    path = argv[1]
    version = argv[2] if len(argv) > 2 else "GLIBCXX_3.4.32"
    with open(path, "rb") as handle:
        blob = bytearray(handle.read())
    flags_offset = find_vernaux(blob, version)
    if flags_offset is None:
        print(f"{path}: no need for {version}; nothing to do")
        return 3
    flags, = struct.unpack_from("<H", blob, flags_offset)
    if flags & VER_FLG_WEAK:
        print(f"{path}: need for {version} is already weak")
        return 0
    struct.pack_into("<H", blob, flags_offset, flags | VER_FLG_WEAK)
    # Write beside the original and rename, so a reader never sees half a library.
    folder = os.path.dirname(os.path.abspath(path))
    mode = os.stat(path).st_mode
    fd, temp = tempfile.mkstemp(dir=folder, prefix=".weaken-")
    with os.fdopen(fd, "wb") as handle:
        handle.write(blob)
    os.chmod(temp, mode)
    os.replace(temp, path)
    print(f"{path}: marked the need for {version} as weak")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except (OSError, ValueError) as error:
        print(f"weaken_glibcxx_need: {error}", file=sys.stderr)
        sys.exit(1)
