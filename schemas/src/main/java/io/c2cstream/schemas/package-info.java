/** Wire contracts of C2C Stream: Avro schemas for requests, responses and dead letters, and the KV-segment codec. */
package io.c2cstream.schemas;
