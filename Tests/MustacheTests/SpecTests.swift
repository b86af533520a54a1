import Testing

struct SpecTests {
    @Test("Comments follow the specification", arguments: try SpecCase.load("comments.json"))
    func comments(_ specCase: SpecCase) throws {
        #expect(try specCase.render() == specCase.expected, "\(specCase.desc)")
    }

    @Test("Delimiter changes follow the specification", arguments: try SpecCase.load("delimiters.json"))
    func delimiters(_ specCase: SpecCase) throws {
        #expect(try specCase.render() == specCase.expected, "\(specCase.desc)")
    }

    @Test("Interpolation follows the specification", arguments: try SpecCase.load("interpolation.json"))
    func interpolation(_ specCase: SpecCase) throws {
        #expect(try specCase.render() == specCase.expected, "\(specCase.desc)")
    }

    @Test("Inverted sections follow the specification", arguments: try SpecCase.load("inverted.json"))
    func inverted(_ specCase: SpecCase) throws {
        #expect(try specCase.render() == specCase.expected, "\(specCase.desc)")
    }

    @Test("Partials follow the specification", arguments: try SpecCase.load("partials.json"))
    func partials(_ specCase: SpecCase) throws {
        #expect(try specCase.render() == specCase.expected, "\(specCase.desc)")
    }

    @Test("Sections follow the specification", arguments: try SpecCase.load("sections.json"))
    func sections(_ specCase: SpecCase) throws {
        #expect(try specCase.render() == specCase.expected, "\(specCase.desc)")
    }

    @Test("Inheritance follows the specification", arguments: try SpecCase.load("~inheritance.json"))
    func inheritance(_ specCase: SpecCase) throws {
        #expect(try specCase.render() == specCase.expected, "\(specCase.desc)")
    }

    @Test("Every loaded specification case passes")
    func everyCasePasses() throws {
        var loaded = 0
        var passed = 0
        for file in SpecCase.files {
            let cases = try SpecCase.load(file)
            let filePassed = cases.filter { (try? $0.render()) == $0.expected }.count
            print("Mustache spec \(file): \(filePassed)/\(cases.count) passed")
            loaded += cases.count
            passed += filePassed
        }
        print("Mustache spec total: \(passed)/\(loaded) passed")
        #expect(loaded > 0)
        #expect(passed == loaded)
    }
}
