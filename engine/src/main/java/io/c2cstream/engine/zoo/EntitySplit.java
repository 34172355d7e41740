package io.c2cstream.engine.zoo;

/** Which models and stages may learn an entity's facts. */
public enum EntitySplit {
    /** Known to both models: the receiver learns their facts and multiple-choice questions about them. */
    PUBLIC,
    /** Known to the sharer only; the fuser trains on questions about them. */
    PRIVATE_TRAIN,
    /**
     * Known to the sharer only; questions about them validate the fuser's training (its loss on entities it
     * never trained on picks the checkpoint), so that no choice about the fuser is made on the held-out set.
     */
    PRIVATE_VALIDATION,
    /** Known to the sharer only; their questions are the evaluation set that no training step sees. */
    PRIVATE_HELD_OUT,
    /**
     * Invented for the receiver's reading practice: their facts appear only as context right before a question,
     * so the receiver learns to use a description it is given. No model is taught them as knowledge.
     */
    CONTEXT
}
