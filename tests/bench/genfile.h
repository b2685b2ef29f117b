/*
 * genfile.h - for the generators of synthetic data (tests/bench/gengps.c,
 * examples/lushan/genfixes.c): a file of theirs in a folder.
 *
 *   FILE *f = gen_open(dir, "routes.geojson");   exits 1 after perror()
 */
#ifndef CITYOPS_GENFILE_H
#define CITYOPS_GENFILE_H

#include <stdio.h>
#include <stdlib.h>

static inline FILE *gen_open(const char *dir, const char *name)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (!(f = fopen(path, "w"))) {
		perror(path);
		exit(1);
	}
	return f;
}

#endif
