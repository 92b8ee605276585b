"""Caption catalogue: every beat's words in every language, with numbers filled in from the run."""
from __future__ import annotations

import textwrap

from gdcore import Formula

CATALOGUE: dict[str, dict[str, str]] = {
    "en": {
        "title": "Gradient descent with momentum",
        "predict": "Predict: {question}",
        "beat_intro": "The question", "beat_show_parabola": "The parabola", "beat_show_data": "The data",
        "beat_show_landscape": "Two valleys", "beat_show_map": "The (α, β) map", "beat_show_theory": "The theory",
        "beat_show_rule": "The rule", "beat_predict": "Predict", "beat_run_balls": "The run",
        "beat_run_fit": "The fit", "beat_show_run": "One run", "beat_tour": "A tour of the map",
        "beat_verdict": "The verdict", "beat_closing": "Summary",
        "question": "Momentum lets each step remember the last ones. Does the ball then reach the bottom sooner than plain gradient descent?",
        "parabola": "Our valley is the parabola f(x) = {formula}. Its slope f′(x) = {derivative} is the gradient: it points uphill.",
        "rule_classic": "{variant}: each step keeps a share β = {beta} of the old velocity and adds a push α = {lr} down the slope.",
        "rule_ema": "{variant}: m keeps β = {beta} of the past gradients plus (1 − β) of the new one; each step moves α = {lr} times m.",
        "rule_nesterov": "{variant}: like the heavy ball, but the slope is measured where momentum is about to carry it; β = {beta}, α = {lr}.",
        "legend": "Orange ball: momentum. Yellow arrow: its velocity {state}. Blue arrow: the push −α·∇f.",
        "ghost": "The violet ball is plain gradient descent (β = 0) with the same α = {lr}: no memory of past steps.",
        "converged": "Converged in {k} steps: the error shrinks by a factor ρ = {rho} at every step.",
        "not_settled": "Not settled after {n} steps: the error shrinks by only ρ = {rho} per step.",
        "under-damped": "β = {beta} is above the critical β = {crit}: under-damped, so the ball overshoots and swings.",
        "critically damped": "β = {beta} is the critical value: critically damped, the fastest approach without swinging.",
        "over-damped": "β = {beta} is below the critical β = {crit}: over-damped, a slow approach without swinging.",
        "diverged": "Diverged at step {k}: α = {lr} is above the stable limit α = {limit} for β = {beta}, so every swing grows.",
        "diverged_short": "Diverged at step {k}",
        "converged_short": "Converged in {k} steps",
        "not_settled_short": "Not settled after {n} steps",
        "classic": "Heavy-ball momentum",
        "ema": "Averaged-gradient momentum",
        "nesterov": "Nesterov momentum",
        "step": "step",
        "per_step": "per step",
        "plain_gd": "plain GD",
        "reg_title": "Fitting a plane with momentum",
        "reg_question": "Many features, one target: what does it mean for a model to fit the data, and how do we measure it?",
        "reg_data": "Each point is one example: two features x₁, x₂ and a target y, made as y = {truth} plus noise.",
        "reg_model": "The model is a plane {model}. The loss L is the mean of the squared gaps ŷ − y.",
        "reg_legend": "The plane is the model at each step. The red segments are the residuals ŷ − y that the loss squares.",
        "reg_panel": "Right: the loss over (w₁, w₂). Orange: the momentum path and its velocity. Violet: plain gradient descent.",
        "reg_panel_plain": "Right: the loss over (w₁, w₂). The orange path is gradient descent, its arrow the last step.",
        "reg_gap": "The fit lands {gap} from the least-squares solution; both miss the true coefficients a little, because of the noise.",
        "fitted": "fitted",
        "true": "true",
        "least_squares": "least squares",
        "excess_loss": "log₁₀(L − L*)",
        "loss_axis": "log₁₀ f",
        "val_title": "Can momentum roll a ball out of a dip?",
        "val_question": "Gradient descent stops in the first dip it finds. Can momentum carry the ball over a barrier into a deeper valley?",
        "val_landscape": "A shallow dip at x = {local_x} (f = {local_f}), a barrier at x = {barrier_x} (f = {barrier_f}), the deepest valley at x = {global_x} (f = {global_f}).",
        "val_local": "local minimum",
        "val_global": "global minimum",
        "val_barrier": "barrier",
        "val_where_local": "shallow dip",
        "val_where_global": "deep valley",
        "val_legend": "One ball per β, all starting at rest at x = {x0}. Right: each ball's height f(x), and on top its kinetic share v²/(2α).",
        "val_energy": "To clear the barrier a ball must reach it with f + v²/(2α) above the dashed line; friction, 1 − β per step, drains it.",
        "val_analogy": "The update is only like a ball: its steps are discrete, so this energy is an analogy, not an exact law.",
        "val_stayed": "{label} stayed on the side where it started and settled in the {where} at step {k} (x = {x}).",
        "val_crossed": "{label} crossed the barrier {c}× and settled in the {where} at step {k} (x = {x}).",
        "val_not_settled": "{label} had not settled after {n} steps; it crossed the barrier {c}×.",
        "val_diverged": "{label} diverged at step {k}: each step overshot by more than the last.",
        "val_moral": "Momentum is no guarantee: a dip is escaped only when the run carries enough speed into the barrier.",
        "val_basin": "ended in",
        "val_final": "final f",
        "val_loss_axis": "log₁₀(f − min f)",
        "ls_title": "The (α, β) map of momentum",
        "ls_question": "Which learning rates α and momenta β make descent fast, slow, or explode? Theory answers for every pair at once.",
        "ls_problem_parabola": "the parabola f(x) = {formula}",
        "ls_problem_regression": "the regression's loss",
        "ls_map": "{variant} on {problem}, one point per (α, β). Colour: ρ, the error's factor per step; red: ρ ≥ 1.",
        "ls_boundary": "The dashed white line is the stability limit: to its right ρ > 1, and every run diverges.",
        "ls_critical": "The pink curve is critical damping. Below it, over-damped: no swinging. Above it, under-damped: the run oscillates.",
        "ls_gd": "The violet line, β = 0, is plain gradient descent: with this rule, more β raises the stable α, to {limit} at β = {beta}.",
        "predict_map": "Predict: where on the map is α = {lr}, β = {beta}, and will that run settle, swing or blow up?",
        "ls_optimum": "The star is Polyak's optimum α* = {lr}, β* = {beta}, set by the condition number κ = {kappa}.",
        "ls_run": "Orange ring: the run asked for, α = {lr}, β = {beta}, ρ = {rho}: {outcome}; {shape}.",
        "ls_stop_over-damped": "Over-damped, below the pink curve: α = {lr}, β = {beta}, ρ = {rho}: {outcome}; {shape}.",
        "ls_stop_under-damped": "Under-damped, above the pink curve: α = {lr}, β = {beta}, ρ = {rho}: {outcome}; {shape}.",
        "ls_stop_diverged": "Beyond the stability limit: α = {lr}, β = {beta}, ρ = {rho} > 1: {outcome}, every swing grows.",
        "ls_falls": "the loss fell at every step",
        "ls_rises": "the loss rose at {m} of {n} steps",
        "ls_converged": "settled in {k} steps",
        "ls_not_settled": "not settled after {n} steps",
        "ls_diverged": "diverged at step {k}",
        "ls_end": "The map predicts each run from ρ alone. Try your own pair with --lr and --beta.",
        "ls_key_boundary": "stability limit",
        "ls_key_critical": "critical damping",
        "ls_key_gd": "plain GD (β = 0)",
        "ls_key_run": "the run shown",
        "ls_key_optimum": "Polyak's optimum",
        "gd_steps": "Plain gradient descent with the same α settled in {k} steps; momentum in {m}.",
        "gd_not_settled": "Plain gradient descent with the same α had not settled after {n} steps; momentum settled in {m}.",
        "gd_faster": "Plain gradient descent with the same α settled in {k} steps: with this β, momentum is slower.",
        "gd_line": "plain GD: {k} steps",
        "gd_line_not_settled": "plain GD: not settled",
        "cmp_title": "Momentum: one change, {n} runs",
        "cmp_question": "Same start, same rule, same everything except {symbol}: {values}. Which run gets to the bottom first?",
        "cmp_question_variants": "Same start, same α and β, {n} update rules: {values}. Which run gets to the bottom first?",
        "cmp_rule": "{variant} for every run; only {symbol} changes: {values}.",
        "cmp_rule_variants": "The {n} rules, each in its run's colour, with the same α = {lr} and β = {beta}.",
        "cmp_legend": "One ball per run, in its colour, on the same curve; the panel gives each one's x, the inset each one's loss.",
        "cmp_reg_legend": "One path per run on the (w₁, w₂) panel, in its colour; the plane and its residuals follow the first run.",
        "cmp_fastest_critical": "Fastest: {label}, settled in {k} steps. Its β is the closest to critical damping (critical β = {crit}).",
        "cmp_fastest_rho": "Fastest: {label}, settled in {k} steps. It has the smallest ρ = {rho}, so its error shrinks fastest per step.",
        "cmp_fastest": "Fastest: {label}, settled in {k} steps (ρ = {rho} per step).",
        "cmp_none": "No run settled within {n} steps; the table gives each run's ρ, the factor its error shrinks by per step.",
        "cmp_diverged": "{label} diverged at step {k}: α = {lr} is above its stable limit α = {limit}, so every swing grows.",
        "rate": "ρ per\nstep",
        "settled_at": "settled\nat step",
        "diverged_cell": "diverged at {k}",
        "predict_race": "Predict: with α = {lr} and β = {beta}, which ball settles first, momentum’s or plain gradient descent’s?",
        "predict_plain": "Predict: with α = {lr} and no momentum (β = 0), does the ball settle within {n} steps?",
        "predict_compare": "Predict: with {symbol} = {values} and all else the same, which run settles first?",
        "predict_variants": "Predict: {values}, with the same α and β: which rule settles first?",
        "predict_valleys": "Predict: from x = {x0}, with β = {values}, which balls end in the deep valley?",
        "race_momentum": "Momentum settled first, at step {m}: {by} steps before plain gradient descent (step {k}).",
        "race_momentum_alone": "Only the ball with momentum settled, at step {m}; plain gradient descent did not within {n} steps.",
        "race_plain": "Plain gradient descent settled first, at step {k}: {by} steps before momentum (step {m}). With β = {beta}, momentum is slower.",
        "race_plain_alone": "Only plain gradient descent settled, at step {k}; the ball with momentum did not within {n} steps.",
        "race_tie": "A tie: both balls settled at step {k}.",
        "race_neither": "Neither ball settled within {n} steps.",
        "plain_diverged_widened": "Plain gradient descent diverged at step {k}: α = {lr} is above its stable limit {plain_limit}; momentum widened that limit to {limit}.",
        "plain_diverged_narrowed": "Plain gradient descent diverged at step {k}: α = {lr} is above its stable limit {plain_limit}; with momentum the limit is {limit}.",
        "limit_narrowed": "Note: with β = {beta}, this rule’s largest stable α is {limit}, below plain gradient descent’s {plain_limit}.",
        "why_rates": "Why: per step, the error shrinks by a factor ρ = {rho} with momentum and {plain_rho} without.",
        "under-damped_still": "β = {beta} is above the critical β = {crit}: under-damped, so it would swing, but it has not passed the minimum yet.",
        "cmp_same_rho": "Fastest: {label}, settled at step {k}. {labels} share ρ = {rho}: per step their errors shrink alike.",
        "cmp_same_rho_sqrt": "Fastest: {label}, settled at step {k}. {labels} share ρ = {rho}: an under-damped heavy ball has ρ = √β, whatever α.",
        "cmp_tie": "A tie: {labels} settled at the same step, {k}.",
        "val_moral_stuck": "Here no β carried a ball over the barrier: momentum is no guarantee of escaping a dip.",
        "val_moral_deep": "These balls started in the deep valley: a barrier only matters to a ball that starts behind it.",
        "gd_line_diverged": "plain GD: diverged at {k}",
        "ls_gd_narrowed": "The violet line, β = 0, is plain gradient descent: with this rule, more β lowers the stable α, to {limit} at β = {beta}.",
    },
    "es": {
        "title": "Descenso de gradiente con momento",
        "predict": "Predice: {question}",
        "beat_intro": "La pregunta", "beat_show_parabola": "La parábola", "beat_show_data": "Los datos",
        "beat_show_landscape": "Dos valles", "beat_show_map": "El mapa (α, β)", "beat_show_theory": "La teoría",
        "beat_show_rule": "La regla", "beat_predict": "Predice", "beat_run_balls": "La ejecución",
        "beat_run_fit": "El ajuste", "beat_show_run": "Una ejecución", "beat_tour": "Un recorrido por el mapa",
        "beat_verdict": "El veredicto", "beat_closing": "Resumen",
        "question": "El momento hace que cada paso recuerde los anteriores. ¿Llega entonces la bola al fondo antes que con el descenso de gradiente simple?",
        "parabola": "Nuestro valle es la parábola f(x) = {formula}. Su pendiente f′(x) = {derivative} es el gradiente: apunta cuesta arriba.",
        "rule_classic": "{variant}: cada paso conserva una parte β = {beta} de la velocidad y suma un empujón α = {lr} cuesta abajo.",
        "rule_ema": "{variant}: m guarda β = {beta} de los gradientes pasados y (1 − β) del nuevo; cada paso avanza α = {lr} por m.",
        "rule_nesterov": "{variant}: como la bola pesada, pero la pendiente se mide adonde el momento la va a llevar; β = {beta}, α = {lr}.",
        "legend": "Bola naranja: con momento. Flecha amarilla: su velocidad {state}. Flecha azul: el empujón −α·∇f.",
        "ghost": "La bola violeta es el descenso de gradiente simple (β = 0) con el mismo α = {lr}: sin memoria de los pasos.",
        "converged": "Convergió en {k} pasos: el error se reduce por un factor ρ = {rho} en cada paso.",
        "not_settled": "Sin asentarse tras {n} pasos: el error solo se reduce por ρ = {rho} en cada paso.",
        "under-damped": "β = {beta} supera el β crítico = {crit}: subamortiguado, la bola se pasa y oscila.",
        "critically damped": "β = {beta} es el valor crítico: amortiguamiento crítico, la llegada más rápida sin oscilar.",
        "over-damped": "β = {beta} está por debajo del β crítico = {crit}: sobreamortiguado, llega despacio y sin oscilar.",
        "diverged": "Divergió en el paso {k}: α = {lr} supera el límite estable α = {limit} para β = {beta}; cada vaivén crece.",
        "diverged_short": "Divergió en el paso {k}",
        "converged_short": "Convergió en {k} pasos",
        "not_settled_short": "Sin asentarse tras {n} pasos",
        "classic": "Momento clásico (bola pesada)",
        "ema": "Momento con media de gradientes",
        "nesterov": "Momento de Nesterov",
        "step": "paso",
        "per_step": "por paso",
        "plain_gd": "GD simple",
        "reg_title": "Ajustar un plano con momento",
        "reg_question": "Muchas variables, un objetivo: ¿qué significa que un modelo se ajuste a los datos, y cómo se mide?",
        "reg_data": "Cada punto es un ejemplo: dos variables x₁, x₂ y un objetivo y, generado como y = {truth} más ruido.",
        "reg_model": "El modelo es un plano {model}. La pérdida L es la media de los cuadrados de las diferencias ŷ − y.",
        "reg_legend": "El plano es el modelo en cada paso. Los segmentos rojos son los residuos ŷ − y que la pérdida eleva al cuadrado.",
        "reg_panel": "A la derecha: la pérdida sobre (w₁, w₂). Naranja: el camino con momento y su velocidad. Violeta: el descenso simple.",
        "reg_panel_plain": "A la derecha: la pérdida sobre (w₁, w₂). El camino naranja es el descenso de gradiente, su flecha el último paso.",
        "reg_gap": "El ajuste queda a {gap} de la solución de mínimos cuadrados; ambos se apartan algo de los coeficientes verdaderos por el ruido.",
        "fitted": "ajustado",
        "true": "verdadero",
        "least_squares": "mín. cuadrados",
        "excess_loss": "log₁₀(L − L*)",
        "loss_axis": "log₁₀ f",
        "val_title": "¿Puede el momento sacar una bola de un hoyo?",
        "val_question": "El descenso de gradiente se para en el primer hoyo que encuentra. ¿Puede el momento llevar la bola a un valle más hondo?",
        "val_landscape": "Un hoyo poco hondo en x = {local_x} (f = {local_f}), una barrera en x = {barrier_x} (f = {barrier_f}), el valle más hondo en x = {global_x} (f = {global_f}).",
        "val_local": "mínimo local",
        "val_global": "mínimo global",
        "val_barrier": "barrera",
        "val_where_local": "hoyo poco hondo",
        "val_where_global": "valle hondo",
        "val_legend": "Una bola por β, todas en reposo en x = {x0}. A la derecha: la altura f(x) de cada una y encima su parte cinética v²/(2α).",
        "val_energy": "Para pasar la barrera una bola debe llegar con f + v²/(2α) sobre la línea discontinua; la fricción, 1 − β por paso, la gasta.",
        "val_analogy": "La regla solo se parece a una bola: sus pasos son discretos, así que esta energía es una analogía, no una ley exacta.",
        "val_stayed": "{label} se quedó del lado donde empezó y se asentó en el {where} en el paso {k} (x = {x}).",
        "val_crossed": "{label} cruzó la barrera {c}× y se asentó en el {where} en el paso {k} (x = {x}).",
        "val_not_settled": "{label} no se había asentado tras {n} pasos; cruzó la barrera {c}×.",
        "val_diverged": "{label} divergió en el paso {k}: cada paso se pasaba más que el anterior.",
        "val_moral": "El momento no es una garantía: se sale de un hoyo solo si se llega a la barrera con velocidad suficiente.",
        "val_basin": "acabó en",
        "val_final": "f final",
        "val_loss_axis": "log₁₀(f − mín f)",
        "ls_title": "El mapa (α, β) del momento",
        "ls_question": "¿Qué tasas α y momentos β hacen el descenso rápido, lento o explosivo? La teoría responde para todos los pares a la vez.",
        "ls_problem_parabola": "la parábola f(x) = {formula}",
        "ls_problem_regression": "la pérdida de la regresión",
        "ls_map": "{variant} sobre {problem}, un punto por (α, β). Color: ρ, factor del error por paso; rojo: ρ ≥ 1.",
        "ls_boundary": "La línea blanca discontinua es el límite de estabilidad: a su derecha ρ > 1 y toda ejecución diverge.",
        "ls_critical": "La curva rosa es el amortiguamiento crítico. Debajo, sobreamortiguado: sin oscilar. Encima, subamortiguado: oscila.",
        "ls_gd": "La línea violeta, β = 0, es el descenso simple: con esta regla, más β sube el α estable, a {limit} con β = {beta}.",
        "predict_map": "Predice: ¿dónde cae en el mapa α = {lr}, β = {beta}, y esa ejecución se asienta, oscila o explota?",
        "ls_optimum": "La estrella es el óptimo de Polyak α* = {lr}, β* = {beta}, fijado por el número de condición κ = {kappa}.",
        "ls_run": "Anillo naranja: la ejecución pedida, α = {lr}, β = {beta}, ρ = {rho}: {outcome}; {shape}.",
        "ls_stop_over-damped": "Sobreamortiguado (bajo la curva rosa): α = {lr}, β = {beta}, ρ = {rho}: {outcome}; {shape}.",
        "ls_stop_under-damped": "Subamortiguado (sobre la curva rosa): α = {lr}, β = {beta}, ρ = {rho}: {outcome}; {shape}.",
        "ls_stop_diverged": "Más allá del límite de estabilidad: α = {lr}, β = {beta}, ρ = {rho} > 1: {outcome}, cada vaivén crece.",
        "ls_falls": "bajó en cada paso",
        "ls_rises": "subió en {m} de {n} pasos",
        "ls_converged": "se asentó en {k} pasos",
        "ls_not_settled": "sin asentarse tras {n} pasos",
        "ls_diverged": "divergió en el paso {k}",
        "ls_end": "El mapa predice cada ejecución solo con ρ. Prueba tu propio par con --lr y --beta.",
        "ls_key_boundary": "límite de estabilidad",
        "ls_key_critical": "amortiguamiento crítico",
        "ls_key_gd": "GD simple (β = 0)",
        "ls_key_run": "la ejecución mostrada",
        "ls_key_optimum": "óptimo de Polyak",
        "gd_steps": "El descenso de gradiente simple con el mismo α se asentó en {k} pasos; con momento, en {m}.",
        "gd_not_settled": "El descenso simple con el mismo α no se había asentado tras {n} pasos; con momento, en {m}.",
        "gd_faster": "El descenso de gradiente simple con el mismo α se asentó en {k} pasos: con este β, el momento es más lento.",
        "gd_line": "GD simple: {k} pasos",
        "gd_line_not_settled": "GD simple: sin asentarse",
        "cmp_title": "Momento: un cambio, {n} ejecuciones",
        "cmp_question": "Mismo inicio, misma regla, todo igual salvo {symbol}: {values}. ¿Qué ejecución llega antes al fondo?",
        "cmp_question_variants": "Mismo inicio, mismos α y β, {n} reglas: {values}. ¿Qué ejecución llega antes al fondo?",
        "cmp_rule": "{variant} en todas las ejecuciones; solo cambia {symbol}: {values}.",
        "cmp_rule_variants": "Las {n} reglas, cada una del color de su ejecución, con los mismos α = {lr} y β = {beta}.",
        "cmp_legend": "Una bola por ejecución, con su color, sobre la misma curva; el panel da la x de cada una y el recuadro su pérdida.",
        "cmp_reg_legend": "Un camino por ejecución en el panel (w₁, w₂), con su color; el plano y sus residuos siguen a la primera.",
        "cmp_fastest_critical": "La más rápida: {label}, asentada en {k} pasos. Su β es el más cercano al amortiguamiento crítico (β crítico = {crit}).",
        "cmp_fastest_rho": "La más rápida: {label}, asentada en {k} pasos. Tiene el menor ρ = {rho}: su error se reduce más en cada paso.",
        "cmp_fastest": "La más rápida: {label}, asentada en {k} pasos (ρ = {rho} por paso).",
        "cmp_none": "Ninguna ejecución se asentó en {n} pasos; la tabla da el ρ de cada una, el factor por el que se reduce su error.",
        "cmp_diverged": "{label} divergió en el paso {k}: α = {lr} supera su límite estable α = {limit}; cada vaivén crece.",
        "rate": "ρ por\npaso",
        "settled_at": "asentada\nen el paso",
        "diverged_cell": "divergió en {k}",
        "predict_race": "Predice: con α = {lr} y β = {beta}, ¿qué bola se asienta antes, la del momento o la del descenso simple?",
        "predict_plain": "Predice: con α = {lr} y sin momento (β = 0), ¿se asienta la bola en {n} pasos?",
        "predict_compare": "Predice: con {symbol} = {values} y todo lo demás igual, ¿qué ejecución se asienta antes?",
        "predict_variants": "Predice: {values}, con los mismos α y β: ¿qué regla se asienta antes?",
        "predict_valleys": "Predice: desde x = {x0}, con β = {values}, ¿qué bolas terminan en el valle hondo?",
        "race_momentum": "El momento se asentó antes, en el paso {m}: {by} pasos antes que el descenso simple (paso {k}).",
        "race_momentum_alone": "Solo la bola con momento se asentó, en el paso {m}; el descenso simple no lo hizo en {n} pasos.",
        "race_plain": "El descenso simple se asentó antes, en el paso {k}: {by} pasos antes que el momento (paso {m}). Con β = {beta}, el momento es más lento.",
        "race_plain_alone": "Solo el descenso simple se asentó, en el paso {k}; la bola con momento no lo hizo en {n} pasos.",
        "race_tie": "Empate: las dos bolas se asentaron en el paso {k}.",
        "race_neither": "Ninguna de las dos bolas se asentó en {n} pasos.",
        "plain_diverged_widened": "El descenso simple divergió en el paso {k}: α = {lr} supera su límite estable {plain_limit}; el momento lo amplió a {limit}.",
        "plain_diverged_narrowed": "El descenso simple divergió en el paso {k}: α = {lr} supera su límite estable {plain_limit}; con momento el límite es {limit}.",
        "limit_narrowed": "Ojo: con β = {beta}, el mayor α estable de esta regla es {limit}, menor que el {plain_limit} del descenso simple.",
        "why_rates": "Por qué: en cada paso el error se reduce por un factor ρ = {rho} con momento y {plain_rho} sin él.",
        "under-damped_still": "β = {beta} supera el β crítico = {crit}: subamortiguado, oscilaría, pero aún no ha pasado el mínimo.",
        "cmp_same_rho": "La más rápida: {label}, asentada en el paso {k}. {labels} comparten ρ = {rho}: su error se reduce igual en cada paso.",
        "cmp_same_rho_sqrt": "Gana {label} (paso {k}). {labels} comparten ρ = {rho}: en la bola pesada subamortiguada, ρ = √β para todo α.",
        "cmp_tie": "Empate: {labels} se asentaron en el mismo paso, el {k}.",
        "val_moral_stuck": "Aquí ningún β llevó una bola por encima de la barrera: el momento no garantiza salir de un hoyo.",
        "val_moral_deep": "Estas bolas empezaron en el valle hondo: una barrera solo importa a una bola que empieza detrás de ella.",
        "gd_line_diverged": "GD simple: divergió en {k}",
        "ls_gd_narrowed": "La línea violeta, β = 0, es el descenso simple: con esta regla, más β baja el α estable, a {limit} con β = {beta}.",
    },
}


def fmt(value: float) -> str:
    """A trajectory number as shown on screen: 4 decimals in [0.001, 1e5), else 3-digit scientific; never -0."""
    shown = f"{value:.4f}" if value == 0 or 1e-3 <= abs(value) < 1e5 else f"{value:.3e}"
    return shown[1:] if shown.startswith("-") and float(shown) == 0 else shown


SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def fmt_param(value: float, digits: int = 4, tex: bool = False) -> str:
    """A hyperparameter or theory number as shown: at most `digits` significant digits (0.3, not 0.3000),
    never -0, and a×10ⁿ outside [10⁻⁴, 10^digits) (in TeX with `tex`)."""
    shown = f"{float(value) + 0.0:.{digits}g}"
    if "e" not in shown:
        return "0" if shown == "-0" else shown
    mantissa, exponent = shown.split("e")
    power = str(int(exponent))
    return rf"{mantissa} \times 10^{{{power}}}" if tex else f"{mantissa}×10{power.translate(SUPERSCRIPT)}"


def linear(w1: float, w2: float, b: float) -> str:
    """'2·x₁ − 1·x₂ + 1': the data's generating model with its signs written properly."""
    terms = [(w1, "·x₁"), (w2, "·x₂"), (b, "")]
    out = ""
    for i, (value, name) in enumerate(terms):
        sign = "−" if value < 0 else "+"
        number = fmt_param(abs(value)) + name
        out += (("−" if value < 0 else "") + number) if i == 0 else f" {sign} {number}"
    return out


def text(lang: str, key: str, **values) -> str:
    """The catalogue entry `key` in `lang` with its {placeholders} filled in (a Formula by its text)."""
    return CATALOGUE[lang][key].format(**{k: v.text if isinstance(v, Formula) else v for k, v in values.items()})


def speech(lang: str, key: str, **values) -> str:
    """The same entry as it is read aloud: Formulas in their spoken words, other symbols by SPOKEN."""
    return spoken(lang, CATALOGUE[lang][key].format(
        **{k: v.spoken[lang] if isinstance(v, Formula) else v for k, v in values.items()}))


# How symbols on screen are read aloud, per language (longest first, so "ŷ − y" goes before "ŷ").
SPOKEN = {
    "en": [("×", " times"), ("v²/(2α)", "v squared over two alpha"), ("α*", "alpha star"), ("β*", "beta star"), ("L*", "L star"), ("≥", " at least "), ("κ", "kappa"), ("₀", " 0"),
           ("f′(x)", "f prime of x"), ("−α·∇f", "minus alpha times the gradient"),
           ("−α·m", "minus alpha times m"), ("ŷ − y", "y hat minus y"), ("ŷ", "y hat"), ("·", " times "), ("α", "alpha"), ("β", "beta"), ("ρ", "rho"), ("∇f", "the gradient"),
           ("₁", " 1"), ("₂", " 2"), ("−", "minus "), ("(w 1, w 2)", "w 1 and w 2")],
    "es": [("×", " veces"), ("v²/(2α)", "v al cuadrado entre dos alfa"), ("α*", "alfa estrella"), ("β*", "beta estrella"), ("L*", "L estrella"), ("≥", " mayor o igual que "), ("κ", "kappa"),
           ("₀", " 0"), ("f′(x)", "f prima de x"), ("−α·∇f", "menos alfa por el gradiente"), ("−α·m", "menos alfa por m"), ("ŷ − y", "y gorro menos y"),
           ("ŷ", "y gorro"), ("·", " por "), ("α", "alfa"),
           ("β", "beta"), ("ρ", "ro"), ("∇f", "el gradiente"), ("₁", " 1"), ("₂", " 2"), ("−", "menos "),
           ("(w 1, w 2)", "w 1 y w 2")],
}


def spoken(lang: str, line: str) -> str:
    """The caption as it should be read aloud: symbols replaced by words."""
    for symbol, words in SPOKEN[lang]:
        line = line.replace(symbol, words)
    return line


def wrap(line: str, width: int) -> str:
    """Break a caption into lines of at most `width` characters (never inside a word)."""
    return "\n".join(textwrap.wrap(line, width))
