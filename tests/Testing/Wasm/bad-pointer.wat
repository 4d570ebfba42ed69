;; Hands fd_write an iovec outside its memory and exits with the errno it gets back.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (call $exit (call $fd_write (i32.const 1) (i32.const 70000) (i32.const 1) (i32.const 8)))))
