#ifndef INVOICE_CPOSTGRES_SHIM_H
#define INVOICE_CPOSTGRES_SHIM_H
#include <libpq-fe.h>

/// libpq prints server notices (e.g. "table … does not exist, skipping") to stderr by default;
/// the command line's output must stay what it documents, so notices are dropped.
static void cpostgres_ignore_notice(void *arg, const char *message) { (void)arg; (void)message; }

static inline void cpostgres_silence_notices(PGconn *connection) {
    PQsetNoticeProcessor(connection, cpostgres_ignore_notice, NULL);
}
#endif
