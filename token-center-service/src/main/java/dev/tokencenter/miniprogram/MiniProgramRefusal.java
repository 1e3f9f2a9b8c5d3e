package dev.tokencenter.miniprogram;

import dev.tokencenter.web.Problem;

/** A request the mini program services answer with a problem of the catalogue; carries no stack trace. */
final class MiniProgramRefusal extends RuntimeException {

    private final transient Problem problem;

    MiniProgramRefusal(Problem problem) {
        super(problem.type().slug() + ": " + problem.detail(), null, false, false);
        this.problem = problem;
    }

    Problem problem() {
        return problem;
    }
}
