"""What the numbers were measured on: CPU, cores, numpy's BLAS and its threads, torch and its
threads, the environment variables that steer them, and the load when the run started."""

import ctypes
import importlib
import importlib.util
import os
import platform

import numpy as np

THREAD_VARIABLES = ("OPENBLAS_", "OMP_", "MKL_", "GOTO_", "BLIS_")


def cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def numpy_blas():
    """numpy's BLAS: name, version, threads and (OpenBLAS) the kernel it chose for this CPU.

    From threadpoolctl when it is installed; otherwise from numpy's build configuration, with
    the threads asked of the loaded OpenBLAS library itself.
    """
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return _numpy_blas_without_threadpoolctl()
    for pool in threadpool_info():
        if pool.get("user_api") == "blas" and "numpy" in pool.get("filepath", "") + pool.get(
                "prefix", ""):
            return {"name": pool.get("internal_api"), "version": pool.get("version"),
                    "threads": pool.get("num_threads"), "kernel": pool.get("architecture"),
                    "source": "threadpoolctl"}
    return _numpy_blas_without_threadpoolctl()


def _numpy_blas_without_threadpoolctl():
    blas = np.show_config(mode="dicts").get("Build Dependencies", {}).get("blas", {})
    info = {"name": blas.get("name"), "version": blas.get("version"), "threads": None,
            "kernel": None, "source": "numpy.show_config; threadpoolctl is not installed"}
    lib = _loaded_openblas()
    if lib is not None:
        try:
            info["threads"] = _call(lib, ctypes.c_int, "get_num_threads")
            kernel = _call(lib, ctypes.c_char_p, "get_corename")
        except RuntimeError:
            return info
        info["kernel"] = kernel.decode() if kernel else None
        info["source"] += "; threads and kernel asked of the loaded OpenBLAS"
    return info


def _loaded_openblas():
    """The OpenBLAS shared library that this process has loaded, if any (Linux only)."""
    try:
        with open("/proc/self/maps", encoding="utf-8") as f:
            paths = {line.split()[-1] for line in f if "openblas" in line.lower()}
    except OSError:
        return None
    for path in sorted(p for p in paths if ".so" in p):
        try:
            return ctypes.CDLL(path)
        except OSError:
            continue
    return None


def _call(lib, restype, name, *args):
    """Call OpenBLAS's ``openblas_<name>`` under whichever symbol prefix/suffix it was built."""
    for symbol in (f"scipy_openblas_{name}64_", f"openblas_{name}64_", f"openblas_{name}"):
        fn = getattr(lib, symbol, None)
        if fn is not None:
            fn.restype = restype
            return fn(*args)
    raise RuntimeError(f"the loaded OpenBLAS has no openblas_{name} function")


def set_threads(n):
    """Use ``n`` threads in numpy's BLAS (threadpoolctl, else OpenBLAS itself) and in torch."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        lib = _loaded_openblas()
        if lib is None:
            raise RuntimeError("cannot set numpy's BLAS threads: threadpoolctl is not installed "
                               "and numpy's BLAS is not a loaded OpenBLAS") from None
        _call(lib, None, "set_num_threads", ctypes.c_int(n))
    else:
        threadpool_limits(n, user_api="blas")
    if importlib.util.find_spec("torch"):
        importlib.import_module("torch").set_num_threads(n)


def torch_info():
    try:
        torch = importlib.import_module("torch")
    except ImportError:
        return None
    return {"version": torch.__version__, "threads": torch.get_num_threads(),
            "interop_threads": torch.get_num_interop_threads(),
            "mkl": torch.backends.mkl.is_available(),
            "openmp": torch.backends.openmp.is_available()}


def machine_info():
    try:
        import tinyad
        tinyad_version = getattr(tinyad, "__version__", "unknown")
    except ImportError as e:
        tinyad_version = f"not importable: {e}"
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "numpy_blas": numpy_blas(),
        "torch": torch_info(),
        "tinyad": tinyad_version,
        "thread_env": {k: v for k, v in sorted(os.environ.items())
                       if k.startswith(THREAD_VARIABLES)},
        "load_average_at_start": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }


def describe(info):
    """The machine in a few lines of text."""
    blas, torch = info["numpy_blas"], info["torch"]
    lines = [
        f"CPU: {info['cpu']}, {info['cores']} cores ({info['usable_cores']} usable); "
        f"{info['platform']}; Python {info['python']}",
        f"numpy {info['numpy']}: {blas['name']} {blas['version']}, {blas['threads']} threads, "
        f"kernel {blas['kernel']} ({blas['source']})",
        "torch: not installed" if torch is None else
        f"torch {torch['version']}: {torch['threads']} threads ({torch['interop_threads']} "
        f"inter-op), MKL {'yes' if torch['mkl'] else 'no'}",
        f"tinyad {info['tinyad']}",
        "thread/BLAS environment variables: "
        + (", ".join(f"{k}={v}" for k, v in info["thread_env"].items()) or "none set"),
        "load average at start: "
        + ", ".join(f"{x:.2f}" for x in info["load_average_at_start"] or ()),
    ]
    return "\n".join(lines)
