package io.c2cstream.engine.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Method §6.3 answer extraction; expected letters are the reference extractor's outputs. */
class AnswerExtractorTest {

    /** Method §10.8, every row; {@code null} is "none". */
    static Stream<Arguments> methodVectors() {
        return Stream.of(
                Arguments.of("The correct answer is B.", "B"),
                Arguments.of("The correct answer is B. Planetary years will become longer.", "B"),
                Arguments.of("D. an infectious, chronic disease", "D"),
                Arguments.of("Answer: c", "C"),
                Arguments.of("answer: (C)", "C"),
                Arguments.of("The correct answer is: Because of A", "B"),
                Arguments.of("I think it is a", "A"),
                Arguments.of("x = 2 + 3, so the result is b", null),
                Arguments.of("Option D", "D"),
                Arguments.of("The answer is none of these", null),
                Arguments.of("C", "C"),
                Arguments.of("", null),
                Arguments.of("The correct answer is\n\nC. Light", "C"),
                Arguments.of("It costs a lot, so d", null),
                Arguments.of("Answer: the first one\nFinal: B", "B"),
                Arguments.of("Correct answer: none", "C"),
                Arguments.of("abc", null));
    }

    /**
     * Further corners, each checked against the reference function: the later "Correct answer is:" pattern
     * finding a later line, the order of the standalone patterns, Python's {@code \s}, {@code \b}, {@code .}
     * (which stops only at {@code \n}) and {@code strip}, and the arithmetic test.
     */
    static Stream<Arguments> referenceCorners() {
        return Stream.of(
                Arguments.of("correct answer is x\ncorrect answer is: C", "C"),
                Arguments.of("ANSWER: d", "D"),
                Arguments.of("option:   \tD", "D"),
                Arguments.of("Our answer - B", "B"),
                Arguments.of("\n\n  The correct answer is A\n", "A"),
                Arguments.of("The answer is b, not a.", "A"),
                Arguments.of("b) is right, a) is wrong", "A"),
                Arguments.of("b)\nmore text", "B"),
                Arguments.of("d the", "D"),
                Arguments.of("Maybe a or\u00A0c", "C"),
                Arguments.of("\u00E9 a", "A"),
                Arguments.of("\u00E9a", null),
                Arguments.of("a\u001Cb", "B"),
                Arguments.of("b)\u001Cthen a;", "B"),
                Arguments.of("final c\u001C", "C"),
                Arguments.of("It is \u2460 c", "C"),
                Arguments.of("  \u2003B\u2003 ", "B"),
                Arguments.of("B_ option", "B"),
                Arguments.of("x^2 then b\nanswer later", "B"),
                Arguments.of("Answer: x\rB, maybe A", "B"),
                Arguments.of("Answer: x\u2028B, maybe A", "B"),
                Arguments.of("x\u203Fb", "B"),
                Arguments.of("\u0301a", "A"),
                Arguments.of("2a+b", null));
    }

    @ParameterizedTest
    @MethodSource({"methodVectors", "referenceCorners"})
    void extractsTheReferenceLetter(String reply, String expected) {
        assertEquals(Optional.ofNullable(expected), AnswerExtractor.extract(reply));
    }

    @Test
    void generatedTextLosesOnlyLeadingAndTrailingLineBreaks() {
        assertEquals(" The correct answer is C. ", AnswerExtractor.cleanGenerated("\n\n The correct answer is C. \n"));
        assertEquals("C\n\nD", AnswerExtractor.cleanGenerated("C\n\nD\n"));
    }
}
