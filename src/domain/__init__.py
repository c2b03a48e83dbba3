"""The pure model of Inkwell: entities, value objects and rules. Standard library only."""
