package io.c2cstream.engine.zoo;

/**
 * How many entities each split holds.
 *
 * @param publicEntities       known to both models
 * @param privateTrainEntities known to the sharer; the fuser trains on them
 * @param validationEntities   known to the sharer; the fuser's validation questions
 * @param heldOutEntities      known to the sharer; evaluation only
 * @param contextEntities      appear only as context in the receiver's reading practice
 */
public record ZooSizes(int publicEntities, int privateTrainEntities, int validationEntities, int heldOutEntities,
                       int contextEntities) {

    /**
     * 100 public entities teach the receiver the question format (500 questions), as in the prototype; 300
     * private-train entities because held-out C2C accuracy grows with the number of distinct training entities
     * (at least 300 are needed); 20 validation entities (100 questions) to choose the fuser's checkpoint; 80
     * held-out entities give 400 evaluation questions, a standard error of about 2.5 points near 50 %; 150
     * context entities give 750 reading-practice questions, about 30 % of the receiver's questions.
     */
    public static final ZooSizes DEFAULT = new ZooSizes(100, 300, 20, 80, 150);

    public ZooSizes {
        if (publicEntities < 1 || privateTrainEntities < 1 || validationEntities < 1 || heldOutEntities < 1
                || contextEntities < 1) {
            throw new IllegalArgumentException("every split needs at least one entity: " + this);
        }
    }

    public int count(EntitySplit split) {
        return switch (split) {
            case PUBLIC -> publicEntities;
            case PRIVATE_TRAIN -> privateTrainEntities;
            case PRIVATE_VALIDATION -> validationEntities;
            case PRIVATE_HELD_OUT -> heldOutEntities;
            case CONTEXT -> contextEntities;
        };
    }
}
