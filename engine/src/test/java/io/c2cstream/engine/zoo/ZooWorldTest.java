package io.c2cstream.engine.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ZooWorldTest {

    private final ZooWorld world = ZooWorld.standard();

    @Test
    void theSameSeedGivesTheSameWorldAndAnotherSeedAnotherOne() {
        assertEquals(world.entities(), ZooWorld.generate(ZooWorld.DEFAULT_SEED, ZooSizes.DEFAULT).entities());
        assertNotEquals(world.entities(), ZooWorld.generate(ZooWorld.DEFAULT_SEED + 1, ZooSizes.DEFAULT).entities());
    }

    @Test
    void splitsHaveTheirSizesAndAtLeast300PrivateTrainEntities() {
        assertEquals(100, world.entities(EntitySplit.PUBLIC).size());
        assertEquals(300, world.entities(EntitySplit.PRIVATE_TRAIN).size());
        assertEquals(20, world.entities(EntitySplit.PRIVATE_VALIDATION).size());
        assertEquals(80, world.entities(EntitySplit.PRIVATE_HELD_OUT).size());
        assertEquals(150, world.entities(EntitySplit.CONTEXT).size());
        assertEquals(500, world.knownToSharer().size());
        assertTrue(world.knownToSharer().stream().noneMatch(entity -> entity.split() == EntitySplit.CONTEXT));
    }

    @Test
    void validationEntitiesAreTheLastOfOneBlockWithThePrivateTrainOnes() {
        // So that moving entities between the two changes no name or value anywhere in the world.
        ZooWorld regrouped = ZooWorld.generate(ZooWorld.DEFAULT_SEED, new ZooSizes(100, 319, 1, 80, 150));
        assertEquals(privateBlock(regrouped), privateBlock(world));
        assertEquals(world.entities(EntitySplit.PRIVATE_VALIDATION).get(19),
                regrouped.entities(EntitySplit.PRIVATE_VALIDATION).get(0));
        for (EntitySplit split : List.of(EntitySplit.PUBLIC, EntitySplit.PRIVATE_HELD_OUT, EntitySplit.CONTEXT)) {
            assertEquals(world.entities(split), regrouped.entities(split), split.name());
        }
    }

    private static List<List<Object>> privateBlock(ZooWorld world) {
        return world.entities().stream()
                .filter(e -> e.split() == EntitySplit.PRIVATE_TRAIN || e.split() == EntitySplit.PRIVATE_VALIDATION)
                .map(e -> List.<Object>of(e.name(), e.values()))
                .toList();
    }

    @Test
    void namesAreUniqueCapitalisedConsonantVowelPairsAndNeitherWordsNorValues() {
        Set<String> names = new HashSet<>();
        Set<String> values = new HashSet<>();
        for (Attribute attribute : Attribute.values()) {
            attribute.options().forEach(value -> values.add(value.toLowerCase(Locale.ROOT)));
        }
        for (Entity entity : world.entities()) {
            assertTrue(entity.name().matches("[BDFGHKLMNPRSTVZ][aeiou][bdfghklmnprstvz][aeiou]"), entity.name());
            assertTrue(names.add(entity.name()), "duplicate " + entity.name());
            assertFalse(values.contains(entity.name().toLowerCase(Locale.ROOT)), entity.name());
            assertFalse(Set.of("Made", "Tuna", "Lima", "Bike", "Hero").contains(entity.name()), entity.name());
        }
    }

    @Test
    void everyAttributeHasTenDistinctValuesAndEveryValueIsDrawn() {
        Set<String> all = new HashSet<>();
        for (Attribute attribute : Attribute.values()) {
            assertEquals(10, Set.copyOf(attribute.options()).size());
            all.addAll(attribute.options());
            for (String value : attribute.options()) {
                long holders = world.entities().stream().filter(e -> e.value(attribute).equals(value)).count();
                // 650 entities over 10 values: about 65 each when drawn uniformly.
                assertTrue(holders > 35 && holders < 100, attribute + " " + value + ": " + holders);
            }
        }
        assertEquals(50, all.size(), "values are distinct across attributes");
    }

    @Test
    void factsComeInThreeParaphrasesAndDescriptionsUseEachAttributesOwnSentence() {
        assertEquals(List.of("Kedo's favorite color is purple.", "The favorite color of Kedo is purple.",
                "Kedo always wears purple."), Attribute.COLOR.paraphrases("Kedo", "purple"));
        assertEquals("What is Kedo's home city?", Attribute.CITY.question("Kedo"));
        Entity entity = world.entities().get(0);
        String description = entity.description();
        for (Attribute attribute : Attribute.values()) {
            assertTrue(description.contains(attribute.ownSentence(entity.name(), entity.value(attribute))));
        }
    }

    @Test
    void protectedWordsSplitNamesIntoSyllablesAndKeepValuesPhraseWordsAndLettersWhole() {
        List<List<String>> words = world.protectedWords();
        Entity entity = world.entities().get(0);
        String name = entity.name();
        assertTrue(words.contains(List.of(name.substring(0, 2), name.substring(2))));
        assertTrue(words.contains(List.of(" " + name.substring(0, 2), name.substring(2))));
        assertTrue(words.contains(List.of("purple")));
        assertTrue(words.contains(List.of(" purple")));
        assertTrue(words.contains(List.of(" favorite")));
        assertTrue(words.contains(List.of(" D")));
        assertEquals(words.size(), Set.copyOf(words).size());
    }
}
