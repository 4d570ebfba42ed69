;; Declares about 2 GiB of initial memory.
(module
  (memory (export "memory") 30000)
  (func (export "_start")))
