/*
 * geo.h - distances on the earth.
 *
 *   double m = geo_haversine_m(lat1, lon1, lat2, lon2);   great-circle
 *           distance in metres on a sphere of radius GEO_EARTH_R_M (the
 *           mean radius; within 0.5 % of the ellipsoid everywhere)
 */
#ifndef CITYOPS_GEO_H
#define CITYOPS_GEO_H

#define GEO_EARTH_R_M 6371008.8

double geo_haversine_m(double lat1, double lon1, double lat2, double lon2);

#endif
