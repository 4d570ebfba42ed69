;; Writes the bits of 0/0 (f32) and sqrt(-1) (f64): NaNs that differ between processors unless canonicalized.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (f32.store (i32.const 100) (f32.div (f32.load (i32.const 300)) (f32.load (i32.const 300))))
    (f64.store (i32.const 104) (f64.sqrt (f64.sub (f64.load (i32.const 300)) (f64.const 1))))
    (i32.store (i32.const 0) (i32.const 100))
    (i32.store (i32.const 4) (i32.const 12))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
