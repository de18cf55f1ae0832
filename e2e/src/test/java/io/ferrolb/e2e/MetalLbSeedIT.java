package io.ferrolb.e2e;

import io.ferrolb.e2e.lab.Lab;

/**
 * The seed walkthrough's assertions on MetalLB v0.16.1's own controller and speakers in the same
 * lab: the yardstick's lab passes what ferrolb's does, so benchmarks compare like with like.
 */
@LabExtension.OnMetalLb
class MetalLbSeedIT extends SeedIT {

    MetalLbSeedIT(Lab lab) {
        super(lab);
    }
}
