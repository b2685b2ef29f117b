/*
 * schemas.h - every domain's part of the store's schema, registered with db
 * before a tool opens the store.  Every tool registers them all: the store
 * has one schema version, and a store that one tool migrated must not look
 * newer than the others know.
 */
#ifndef CITYOPS_SCHEMAS_H
#define CITYOPS_SCHEMAS_H

void schemas_register(void);

#endif
