/** Flink operators around the engine: sharer prefill, receiver prefill and fuse, receiver decode. */
package io.c2cstream.operators;
