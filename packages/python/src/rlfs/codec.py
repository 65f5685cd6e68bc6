"""MessagePack frames and the packed array encoding of protocol 1, decoded straight into NumPy arrays."""
import msgpack
import numpy as np

#: The packed encoding's dtypes (all little-endian) and the NumPy dtype each becomes.
PACKED_DTYPES = {
    "int8": np.dtype("<i1"),
    "uint8": np.dtype("<u1"),
    "int16": np.dtype("<i2"),
    "int32": np.dtype("<i4"),
    "float32": np.dtype("<f4"),
    "float64": np.dtype("<f8"),
}

_packer = msgpack.Packer(use_bin_type=True)


def encode(message):
    """One protocol message (a dict with string keys) as the bytes of one binary frame."""
    return _packer.pack(message)


def decode(frame):
    """The message in one frame; a text frame or bytes that are not one MessagePack map raise ValueError."""
    if isinstance(frame, str):
        raise ValueError("the server sent a text frame; protocol 1 uses binary frames only")
    message = msgpack.unpackb(frame, raw=False, strict_map_key=True)
    if not isinstance(message, dict):
        raise ValueError(f"expected a MessagePack map, got {type(message).__name__}")
    return message


def is_packed(value):
    return isinstance(value, dict) and "data" in value and "dtype" in value and "shape" in value


def unpack_array(value):
    """A packed array ``{dtype, shape, data}`` as a writable NumPy array in native byte order (one copy, no loop)."""
    dtype = PACKED_DTYPES.get(value["dtype"])
    if dtype is None:
        raise ValueError(f"packed array: unknown dtype {value['dtype']!r}")
    array = np.frombuffer(value["data"], dtype=dtype).reshape(value["shape"])
    return array.astype(dtype.newbyteorder("="), copy=True)


def pack_array(array, dtype):
    """A NumPy array as a packed array of ``dtype`` (one of PACKED_DTYPES)."""
    array = np.ascontiguousarray(array, dtype=PACKED_DTYPES[dtype])
    return {"dtype": dtype, "shape": list(array.shape), "data": array.tobytes()}
