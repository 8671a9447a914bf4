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
