/**
 * First lines of a Python driver whose stderr may be the user's terminal (DVC's progress): Ctrl-C
 * ends it without a traceback (xv says in one line what was interrupted and rolled back).
 */
export const PY_QUIET_INTERRUPT = `import sys
sys.excepthook = (lambda hook: lambda kind, value, tb: None if issubclass(kind, KeyboardInterrupt) else hook(kind, value, tb))(sys.excepthook)
`

/**
 * The `except` block every Python driver of xv ends with: one line `XV-ERROR <message>` (DVC's
 * message with its cause) and exit 2. A module with no imports, so drivers in modules that import
 * each other (dvc.ts re-exports them) can all use it at load time.
 */
export const PY_REPORT_ERROR = `except Exception as exc:
    message = " ".join(str(exc).split()) or type(exc).__name__
    cause = exc.__cause__ or exc.__context__
    if cause is not None and str(cause) and str(cause) not in message:
        message += ": " + " ".join(str(cause).split())
    print("XV-ERROR " + message, flush=True)
    sys.exit(2)
`
