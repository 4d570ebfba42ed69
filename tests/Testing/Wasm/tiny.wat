;; Does nothing: the smallest task, for measuring per-run overhead.
(module
  (memory (export "memory") 1)
  (func (export "_start")))
