/* office_papers: the procedure's list of papers at the counter (the
 * catalog's "papers" of the slip's procedure): shown as tick boxes on the
 * acceptance form, and what is left unticked written as the one list of
 * missing papers the supplement paper prints (ND 118/2025, Art. 19(5):
 * asked once, in writing, everything at once). */
#ifndef MOTCUA_OFFICE_PAPERS_H
#define MOTCUA_OFFICE_PAPERS_H

#include <stddef.h>
#include "catalog.h"
#include "office_http.h"

/* The tick boxes (have0, have1, ...) and a hidden "checklist" field
 * saying they were shown; nothing for a procedure without papers. */
void office_papers_boxes(office_req *r, office_buf *b, const catalog_procedure *proc);

/* The list of missing papers for the posted form: the procedure's papers
 * left unticked (when the tick boxes were shown), in the catalog's
 * Vietnamese, numbered, then what the officer typed. 0 with out, -1 when
 * it does not fit in outlen. */
int office_papers_missing(office_req *r, const catalog_procedure *proc, const char *typed, char *out, size_t outlen);

#endif
