#ifndef GREET_H
#define GREET_H
/* Writes a greeting for `name` into `buf` (at most `size` bytes). */
int greet(char *buf, unsigned long size, const char *name);
#endif
