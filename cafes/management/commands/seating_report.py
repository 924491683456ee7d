"""Measure how well rotation mixes people: repeated pairs for a range of café sizes."""

from math import comb

from django.core.management.base import BaseCommand

from cafes.seating import (
    Newcomer,
    first_seating,
    pairs_met,
    repeated_pairs,
    rotate,
    table_count,
)


def least_repeats(previous, tables: int) -> int:
    total = 0
    for table in previous:
        q, r = divmod(len(table), tables)
        total += r * comb(q + 1, 2) + (tables - r) * comb(q, 2)
    return total


class Command(BaseCommand):
    help = "Print repeated pairs after rotation for 6-40 people at tables of 3-6."

    def handle(self, *args, **options) -> None:
        self.stdout.write("size people tables r2_repeats r2_least r3_repeats")
        for size in (3, 4, 5, 6):
            for people in (6, 8, 10, 12, 16, 20, 24, 30, 40):
                tables = table_count(people, size)
                round_1 = first_seating([Newcomer(i) for i in range(people)], tables)
                round_2 = rotate(round_1, seed=2)
                round_3 = rotate(round_2, met=pairs_met([round_1, round_2]), seed=3)
                self.stdout.write(
                    f"{size:4} {people:6} {tables:6} "
                    f"{repeated_pairs(round_2, pairs_met([round_1])):10} "
                    f"{least_repeats(round_1, tables):8} "
                    f"{repeated_pairs(round_3, pairs_met([round_1, round_2])):10}"
                )
