{
  "targets": [
    {
      "target_name": "mta4dpr_native",
      "sources": ["src/kernels.c"],
      "include_dirs": ["<!(node ../scripts/openblas-path.js include)"],
      "libraries": ["-L<!(node ../scripts/openblas-path.js lib)", "-Wl,-rpath,<!(node ../scripts/openblas-path.js lib)", "-lopenblas", "-fopenmp", "-lm"],
      # -fno-math-errno: sqrtf may then be an instruction, so loops that call it vectorize (no errno
      # to set: the arguments are never negative); results are the same.
      "cflags": ["-O3", "-fno-math-errno", "-fopenmp", "-std=c11"]
    }
  ]
}
