// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance fuzz harnesses: the input decoder and the mismatch report,
 * shared by the harnesses. Nothing here knows the decision core: the
 * reference models in each harness are written from the documentation
 * (doc/concepts.rst, module/vapp_core.h) with plain arrays and linear scans.
 */
#ifndef VAPP_FUZZ_COMMON_H
#define VAPP_FUZZ_COMMON_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "printfrr.h"

/*
 * The input is read front to back as a stream of small choices. Past its
 * end every read yields 0, so every input decodes to some run and short
 * inputs mean short runs.
 */
struct fz {
	const uint8_t *data;
	size_t len, pos;
};

static inline void fz_init(struct fz *f, const uint8_t *data, size_t len)
{
	f->data = data;
	f->len = len;
	f->pos = 0;
}

static inline bool fz_more(const struct fz *f)
{
	return f->pos < f->len;
}

static inline uint8_t fz_u8(struct fz *f)
{
	return f->pos < f->len ? f->data[f->pos++] : 0;
}

static inline uint16_t fz_u16(struct fz *f)
{
	uint16_t hi = fz_u8(f);

	return (uint16_t)(hi << 8 | fz_u8(f));
}

static inline uint32_t fz_u32(struct fz *f)
{
	uint32_t hi = fz_u16(f);

	return hi << 16 | fz_u16(f);
}

/* 0 .. n-1 (n <= 256) */
static inline unsigned int fz_below(struct fz *f, unsigned int n)
{
	return n ? fz_u8(f) % n : 0;
}

static inline bool fz_bool(struct fz *f)
{
	return fz_u8(f) & 1;
}

/* one of @n values of @table */
#define fz_pick(f, table) ((table)[fz_below((f), sizeof(table) / sizeof((table)[0]))])

/*
 * A difference between the core and the model (or a broken invariant):
 * say what and where, with the operation count, and abort so that libFuzzer
 * keeps the input as a crash artifact.
 */
static inline void __attribute__((noreturn)) PRINTFRR(3, 4)
	fz_fail(const char *file, int line, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	/* printfrr: the messages use %pFX and %pIA */
	va_start(ap, fmt);
	vsnprintfrr(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "MISMATCH at %s:%d: %s\n", file, line, msg);
	abort();
}

#define FZ_CHECK(cond, ...)                                                                        \
	do {                                                                                       \
		if (!(cond))                                                                       \
			fz_fail(__FILE__, __LINE__, __VA_ARGS__);                                  \
	} while (0)

/*
 * FUZZ_TRACE=1 in the environment prints each step of a run: for reading
 * a crash or mismatch input (run the harness on that one file).
 */
static inline bool fz_tracing(void)
{
	static int on = -1;

	if (on < 0)
		on = getenv("FUZZ_TRACE") != NULL;
	return on;
}

static inline void PRINTFRR(1, 2) fz_trace(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (!fz_tracing())
		return;
	va_start(ap, fmt);
	vsnprintfrr(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "  %s\n", msg);
}

/* libFuzzer's entry point; declared for -Wmissing-prototypes */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif /* VAPP_FUZZ_COMMON_H */
