{
  "targets": [
    {
      "target_name": "mta4dpr_native",
      "sources": ["src/kernels.c"],
      "include_dirs": ["<!(node ../scripts/openblas-path.js include)"],
      "libraries": ["-L<!(node ../scripts/openblas-path.js lib)", "-Wl,-rpath,<!(node ../scripts/openblas-path.js lib)", "-lopenblas", "-fopenmp", "-lm"],
      "cflags": ["-O3", "-fopenmp", "-std=c11"]
    }
  ]
}
