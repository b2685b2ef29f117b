/*
 * schemas.c - the one place that knows every domain's schema (see schemas.h).
 */
#include "common.h"

#include "db.h"
#include "case/case.h"
#include "flood/flood.h"
#include "gps/gps.h"
#include "hotline/hotline.h"
#include "schemas.h"

void schemas_register(void)
{
	db_schema_register(&case_schema);
	db_schema_register(&hotline_schema);
	db_schema_register(&flood_schema);
	db_schema_register(&gps_schema);
}
