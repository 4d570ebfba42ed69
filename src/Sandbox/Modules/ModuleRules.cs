namespace Gstd.Sandbox.Modules;

/// <summary>What an uploaded module may be: its size, its function count, and the imports it may ask for.</summary>
public sealed record ModuleRules(int MaxBytes, int MaxFunctions)
{
    public const string WasiModule = "wasi_snapshot_preview1";

    /// <summary>
    /// The WASI preview 1 functions a task may import. They run against an empty, deterministic world: no
    /// preopened directories, no environment, no arguments. Sockets are refused.
    /// </summary>
    public static IReadOnlySet<string> AllowedImports { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "args_get", "args_sizes_get", "environ_get", "environ_sizes_get",
        "clock_res_get", "clock_time_get", "poll_oneoff", "sched_yield", "random_get", "proc_exit",
        "fd_advise", "fd_allocate", "fd_close", "fd_datasync", "fd_fdstat_get", "fd_fdstat_set_flags",
        "fd_fdstat_set_rights", "fd_filestat_get", "fd_filestat_set_size", "fd_filestat_set_times",
        "fd_pread", "fd_prestat_get", "fd_prestat_dir_name", "fd_pwrite", "fd_read", "fd_readdir",
        "fd_renumber", "fd_seek", "fd_sync", "fd_tell", "fd_write",
        "path_create_directory", "path_filestat_get", "path_filestat_set_times", "path_link", "path_open",
        "path_readlink", "path_remove_directory", "path_rename", "path_symlink", "path_unlink_file",
    };
}
